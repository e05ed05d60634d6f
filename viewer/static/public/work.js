// The proof of work the public petition form does before sending (see session_server/petitions/proof.py): find a
// nonce such that SHA-256(challenge + ":" + nonce) starts with `bits` zero bits. SHA-256 is written out here
// (FIPS 180-4) because crypto.subtle exists only on https pages and costs a promise per hash; the work runs in
// slices so the page stays responsive.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const W = new Uint32Array(64);

// The first 32 bits of SHA-256 of an ASCII string (enough to count leading zero bits up to 32).
export function sha256Head(text) {
  const length = text.length;
  const blocks = ((length + 9 + 63) >> 6) << 4;
  const words = new Uint32Array(blocks);
  for (let i = 0; i < length; i++) words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
  words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
  words[blocks - 1] = length * 8;
  let [h0, h1, h2, h3, h4, h5, h6, h7] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  for (let block = 0; block < blocks; block += 16) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) {
        W[i] = words[block + i];
      } else {
        const a = W[i - 15];
        const b = W[i - 2];
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
    }
    let [a, b, c, d, e, f, g, hh] = [h0, h1, h2, h3, h4, h5, h6, h7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + hh) | 0;
  }
  return h0 >>> 0;
}

function leadingZeros(head) {
  return head === 0 ? 32 : Math.clz32(head);
}

// Resolves with the nonce (as text); `signal` may cancel.
export function solve(challenge, bits, signal) {
  return new Promise((resolve, reject) => {
    let nonce = 0;
    const slice = () => {
      if (signal?.aborted) {
        reject(new DOMException('cancelled', 'AbortError'));
        return;
      }
      const until = performance.now() + 30;
      while (performance.now() < until) {
        for (let i = 0; i < 500; i++, nonce++) {
          if (leadingZeros(sha256Head(`${challenge}:${nonce}`)) >= bits) {
            resolve(String(nonce));
            return;
          }
        }
      }
      setTimeout(slice, 0);
    };
    slice();
  });
}
