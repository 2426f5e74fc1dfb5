import zlib from 'node:zlib';

/**
 * Transparent PNGs for tests and demos: a blue handwritten-looking stroke (the leader's signature)
 * and a red ring with a star (an agency seal), drawn pixel by pixel and encoded here (RGBA, 8 bit).
 */
export function pngRgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]),
  );
}

/** 300×120 transparent PNG with a blue wavy stroke. */
export function signaturePng(): Uint8Array {
  return pngRgba(300, 120, (x, y) => {
    const curve = 60 + 35 * Math.sin(x / 22) * Math.cos(x / 70);
    return Math.abs(y - curve) < 3 ? [20, 40, 200, 255] : [0, 0, 0, 0];
  });
}

/** 200×200 transparent PNG with a red ring and a red centre disc. */
export function sealPng(): Uint8Array {
  return pngRgba(200, 200, (x, y) => {
    const r = Math.hypot(x - 99.5, y - 99.5);
    return (r > 88 && r < 98) || r < 25 ? [220, 20, 30, 235] : [0, 0, 0, 0];
  });
}
