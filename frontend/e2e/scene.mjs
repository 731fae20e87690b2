// Writes test pictures: PNGs of flat shapes on a noisy gradient (the
// engine's synth.StandardScene layout), encoded with node:zlib.
import { deflateSync } from "node:zlib";

const crcTable = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf) {
  let c = -1;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes RGB pixels (Uint8Array w*h*3) as a PNG. */
export function png(w, h, rgb) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * w * 3, w * 3).copy(raw, y * (w * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

export const colors = {
  red: [220, 40, 40],
  shadow: [208, 50, 44],
  green: [40, 170, 60],
  blue: [40, 70, 220],
  orange: [235, 150, 30],
};

/** The standard scene at w×h: shapes and where to click them. */
export function standardScene(w, h, seed = 1) {
  const rgb = new Uint8Array(w * h * 3);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const put = (x, y, c, noise = 6) => {
    const i = (y * w + x) * 3;
    for (let k = 0; k < 3; k++) rgb[i + k] = Math.max(0, Math.min(255, Math.round(c[k] + rnd() * noise)));
  };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const t = (x + y) / (w + h);
    put(x, y, [90 + 30 * t, 100 + 30 * t, 120 + 20 * t]);
  }
  const fill = (c, inside) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x + 0.5, y + 0.5)) put(x, y, c);
  };
  const rect = (c, x0, y0, x1, y1) => fill(c, (x, y) => x >= x0 * w && x < x1 * w && y >= y0 * h && y < y1 * h);
  const ellipse = (c, cx, cy, rx, ry) => fill(c, (x, y) => ((x - cx * w) / (rx * w)) ** 2 + ((y - cy * h) / (ry * h)) ** 2 <= 1);
  rect(colors.green, 0.08, 0.6, 0.4, 0.9);
  ellipse(colors.blue, 0.75, 0.7, 0.15, 0.18);
  ellipse(colors.red, 0.3, 0.3, 0.14, 0.2);
  rect(colors.orange, 0.44, 0.12, 0.62, 0.48);
  rect(colors.shadow, 0.2, 0.5, 0.4, 0.56);
  return {
    png: png(w, h, rgb),
    points: {
      red: [0.3 * w, 0.3 * h],
      shadow: [0.3 * w, 0.53 * h],
      green: [0.24 * w, 0.75 * h],
      background: [0.05 * w, 0.05 * h],
    },
  };
}

/** A scene for concepts at w×h: three red shapes (an ellipse with a
 * reddish shadow bar touching it, a square, a circle) and two blue ones,
 * and where they are. "red" finds the three red ones, the ellipse with its
 * shadow. */
export function conceptScene(w, h, seed = 7) {
  const rgb = new Uint8Array(w * h * 3);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const put = (x, y, c) => {
    const i = (y * w + x) * 3;
    for (let k = 0; k < 3; k++) rgb[i + k] = Math.max(0, Math.min(255, Math.round(c[k] + rnd() * 6)));
  };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const t = (x + y) / (w + h);
    put(x, y, [90 + 30 * t, 100 + 30 * t, 120 + 20 * t]);
  }
  const fill = (c, inside) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x + 0.5, y + 0.5)) put(x, y, c);
  };
  const rect = (c, x0, y0, x1, y1) => fill(c, (x, y) => x >= x0 * w && x < x1 * w && y >= y0 * h && y < y1 * h);
  const ellipse = (c, cx, cy, rx, ry) => fill(c, (x, y) => ((x - cx * w) / (rx * w)) ** 2 + ((y - cy * h) / (ry * h)) ** 2 <= 1);
  ellipse(colors.red, 0.25, 0.3, 0.12, 0.16);
  rect(colors.shadow, 0.15, 0.44, 0.35, 0.52);
  rect(colors.red, 0.55, 0.1, 0.7, 0.3);
  ellipse(colors.red, 0.85, 0.7, 0.08, 0.1);
  ellipse(colors.blue, 0.2, 0.78, 0.1, 0.12);
  rect(colors.blue, 0.45, 0.6, 0.6, 0.85);
  const at = (fx, fy) => [fx * w, fy * h];
  return {
    png: png(w, h, rgb),
    points: { ellipse: at(0.25, 0.3), shadow: at(0.25, 0.49), square: at(0.625, 0.2), circle: at(0.85, 0.7), blueCircle: at(0.2, 0.78), blueSquare: at(0.525, 0.725) },
    boxes: { square: at(0.54, 0.08).concat(at(0.71, 0.32)), circle: at(0.76, 0.59).concat(at(0.94, 0.81)) },
  };
}
