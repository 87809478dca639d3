/** Every page of a paginated A4B read; `onPage` sees each page's items as it arrives. */
export async function allPages<T>(
  fetch: (nextToken?: string) => Promise<{ items?: T[]; NextToken?: string }>, onPage?: (items: T[]) => void,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    const items = page.items ?? [];
    out.push(...items);
    onPage?.(items);
    token = page.NextToken;
  } while (token);
  return out;
}
