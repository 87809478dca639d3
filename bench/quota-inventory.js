// An inventory the way a platform team with a large estate would write one: rooms spread over the profiles (one per
// building), each room in 0 to 3 skill groups (per department or floor), names drawn at random from a seeded
// generator, so a test and the bench see the same file. Used by test/local/quota-deploy.test.ts,
// test/template-limits.test.ts, scripts/logical-ids.js and `npm run bench`.
'use strict';

/** mulberry32: a small seeded PRNG, so the inventory is the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Oak', 'Birch', 'Harbor', 'Summit', 'Atlas', 'Nova', 'Cedar', 'Delta', 'Echo', 'Falcon', 'Granite', 'Horizon', 'Iris', 'Juniper',
  'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orion', 'Pine', 'Quartz', 'Raven', 'Sierra', 'Tundra', 'Umber', 'Vega', 'Willow', 'Zephyr'];

/**
 * { rooms, profiles, skillGroups, seed } -> an inventory object. Every room has a mailbox; references are random.
 * @param {{rooms: number, profiles: number, skillGroups: number, seed?: number, calendarLink?: boolean}} o
 */
function quotaInventory(o) {
  const rnd = prng(o.seed ?? 12);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const word = () => pick(WORDS);
  const profiles = Array.from({ length: o.profiles }, (_, i) => ({
    name: `${word()} Building ${i + 1}`, address: `${i + 1} ${word()} Street, Berlin`, timezone: pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC']),
  }));
  const skillGroups = Array.from({ length: o.skillGroups }, (_, i) => ({ name: `${word()} ${pick(['Sales', 'Engineering', 'Finance', 'Floor', 'Support'])} ${i + 1}`, description: `Skills for team ${i + 1}` }));
  const rooms = Array.from({ length: o.rooms }, (_, i) => {
    const groups = new Set();
    const k = Math.floor(rnd() * 4);
    while (groups.size < Math.min(k, skillGroups.length)) groups.add(pick(skillGroups).name);
    const name = `${word()} ${word()} ${i + 1}`;
    return {
      name, mailbox: `${name.toLowerCase().replace(/\W+/g, '-')}@contoso.onmicrosoft.com`, profile: pick(profiles).name,
      ...(groups.size ? { skillGroups: [...groups] } : {}), description: `Floor ${Math.floor(rnd() * 40)}`, tags: { floor: String(Math.floor(rnd() * 40)) },
    };
  });
  const calendarLink = { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'alexaforbusiness@contoso.onmicrosoft.com', credentialsSecret: 'a4b-rooms/graph-validator' };
  return { ...(o.calendarLink === false ? {} : { calendarLink }), profiles, skillGroups, rooms };
}

module.exports = { quotaInventory };
