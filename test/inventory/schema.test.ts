// The inventory's JSON Schema as shipped: schema/rooms.schema.json (what editors read through `$schema`) is the one
// the code holds, as the build writes it; a change to lib/inventory/schema.ts needs a build and that file committed.
import * as fs from 'fs';
import * as path from 'path';
import { INVENTORY_SCHEMA } from '../../lib/inventory/schema';

test('schema/rooms.schema.json is INVENTORY_SCHEMA', () => {
  const shipped = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'rooms.schema.json'), 'utf8');
  expect(JSON.parse(shipped)).toEqual(JSON.parse(JSON.stringify(INVENTORY_SCHEMA)));
});
