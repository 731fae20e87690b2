// Client authentication: "Authorization: Bearer <token>" against the CLIENT_TOKENS secret.
//
// Both sides are hashed with SHA-256 first so the comparison always runs over 32 bytes, and every
// configured token is compared (no early exit), so timing reveals neither which token matched nor
// how long the right one is.

export function bearerToken(req: Request): string | null {
  const h = req.headers.get("Authorization");
  if (!h) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h);
  return m ? m[1]! : null;
}

async function sha256(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}

/** tokenAllowed reports whether presented matches one of allowed, in constant time per token. */
export async function tokenAllowed(presented: string | null, allowed: string[]): Promise<boolean> {
  if (presented === null || allowed.length === 0) return false;
  const p = await sha256(presented);
  let ok = false;
  for (const t of allowed) {
    const match = equal32(p, await sha256(t));
    ok = ok || match;
  }
  return ok;
}
