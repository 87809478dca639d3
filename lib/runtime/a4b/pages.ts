/** Every page of a paginated A4B read. */
export async function allPages<T>(fetch: (nextToken?: string) => Promise<{ items?: T[]; NextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}
