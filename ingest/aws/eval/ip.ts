/** IPv4/IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress, as big integers. */

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | null {
  let text = s;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1] ?? '');
    if (n === null) return null;
    text = `${text.slice(0, -(v4[1] ?? '').length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

export interface IpValue {
  v6: boolean;
  value: bigint;
}

export function parseIp(s: string): IpValue | null {
  const t = s.trim();
  if (t.includes(':')) {
    const value = parseV6(t);
    return value === null ? null : { v6: true, value };
  }
  const value = parseV4(t);
  return value === null ? null : { v6: false, value };
}

/** true when `ip` lies in `cidr` (a bare address is a /32 or /128). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [addr = '', bitsText] = cidr.trim().split('/');
  const net = parseIp(addr);
  const host = parseIp(ip);
  if (!net || !host || net.v6 !== host.v6) return false;
  const width = net.v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return net.value >> shift === host.value >> shift;
}
