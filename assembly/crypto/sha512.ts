// SHA-384 (FIPS 180-4 section 6.5: SHA-512 with other initial values, truncated to 48 bytes).
// The core replays RTMR extend chains with it; the WASI build has no WebCrypto to ask.
// One-shot over a memory range: inputs are short (an extend hashes 96 bytes), so no streaming.

// FIPS 180-4 section 4.2.3: the first 64 bits of the fractional parts of the cube roots of the
// first eighty primes.
const K: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

// FIPS 180-4 section 5.3.4: SHA-384's initial hash value.
const IV384: StaticArray<u64> = [
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
];

const H = new StaticArray<u64>(8);
const W = new StaticArray<u64>(80);
const block = new StaticArray<u8>(256); // the padded tail: one or two 128-byte blocks

@inline function rotr(x: u64, n: u64): u64 { return (x >> n) | (x << (64 - n)); }

/** Runs the compression function over the 128-byte block at `p` (section 6.4.2). */
function compress(p: usize): void {
  for (let t = 0; t < 16; t++) unchecked(W[t] = bswap<u64>(load<u64>(p + (<usize>t << 3))));
  for (let t = 16; t < 80; t++) {
    const w15 = unchecked(W[t - 15]), w2 = unchecked(W[t - 2]);
    const s0 = rotr(w15, 1) ^ rotr(w15, 8) ^ (w15 >> 7);
    const s1 = rotr(w2, 19) ^ rotr(w2, 61) ^ (w2 >> 6);
    unchecked(W[t] = unchecked(W[t - 16]) + s0 + unchecked(W[t - 7]) + s1);
  }
  let a = unchecked(H[0]), b = unchecked(H[1]), c = unchecked(H[2]), d = unchecked(H[3]);
  let e = unchecked(H[4]), f = unchecked(H[5]), g = unchecked(H[6]), h = unchecked(H[7]);
  for (let t = 0; t < 80; t++) {
    const t1 = h + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + ((e & f) ^ (~e & g)) + unchecked(K[t]) + unchecked(W[t]);
    const t2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  unchecked(H[0] += a); unchecked(H[1] += b); unchecked(H[2] += c); unchecked(H[3] += d);
  unchecked(H[4] += e); unchecked(H[5] += f); unchecked(H[6] += g); unchecked(H[7] += h);
}

/** SHA-384 of `len` bytes at `src`, written as 48 bytes to `out` (which may overlap `src`). */
export function sha384(src: usize, len: u32, out: usize): void {
  for (let i = 0; i < 8; i++) unchecked(H[i] = IV384[i]);
  let p = src;
  const end = src + <usize>len;
  while (end - p >= 128) { compress(p); p += 128; }
  // Padding (section 5.1.2): 0x80, zeros, then the bit length as a 128-bit big-endian number.
  const rest = <i32>(end - p);
  const tail = changetype<usize>(block);
  memory.copy(tail, p, rest);
  const blocks = rest + 17 > 128 ? 2 : 1;
  memory.fill(tail + rest, 0, (blocks << 7) - rest);
  store<u8>(tail + rest, 0x80);
  store<u64>(tail + (blocks << 7) - 8, bswap<u64>(<u64>len << 3));
  store<u64>(tail + (blocks << 7) - 16, bswap<u64>(<u64>len >> 61));
  compress(tail);
  if (blocks == 2) compress(tail + 128);
  for (let i = 0; i < 6; i++) store<u64>(out + (<usize>i << 3), bswap<u64>(unchecked(H[i])));
}
