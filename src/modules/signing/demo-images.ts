import { PNG } from 'pngjs';

/**
 * Demo signature images drawn in code (transparent PNG, Decree 30 Appendix I colours): a blue handwritten
 * flourish for officials, a red round seal (two rings, a star, a dotted band) for units. Not meant to look
 * like anyone's real signature or seal.
 */

type Rgb = [number, number, number];

class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly colour: Rgb,
  ) {
    this.png = new PNG({ width, height, colorType: 6 });
    this.png.data.fill(0);
  }

  /** Ink with coverage `a` (0..1): alpha keeps the maximum, so overlapping strokes do not darken. */
  private ink(x: number, y: number, a: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || a <= 0) return;
    const i = (y * this.width + x) * 4;
    const alpha = Math.round(Math.min(1, a) * 255);
    if (alpha <= this.png.data[i + 3]) return;
    [this.png.data[i], this.png.data[i + 1], this.png.data[i + 2]] = this.colour;
    this.png.data[i + 3] = alpha;
  }

  /** A soft disk (anti-aliased edge). */
  dot(cx: number, cy: number, r: number): void {
    for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
      for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.ink(x, y, r + 0.5 - d);
      }
    }
  }

  /** A stroke along a parametric curve t ∈ [0, 1], width varying like a pen. */
  stroke(f: (t: number) => [number, number], width: (t: number) => number, steps = 1500): void {
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const [x, y] = f(t);
      this.dot(x, y, width(t) / 2);
    }
  }

  /** A ring between radii r1 < r2. */
  ring(cx: number, cy: number, r1: number, r2: number): void {
    for (let y = Math.floor(cy - r2 - 1); y <= Math.ceil(cy + r2 + 1); y++) {
      for (let x = Math.floor(cx - r2 - 1); x <= Math.ceil(cx + r2 + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.ink(x, y, Math.min(d - r1 + 0.5, r2 + 0.5 - d));
      }
    }
  }

  /** A filled polygon (even-odd), 4× supersampled for a smooth edge. */
  polygon(points: [number, number][]): void {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
      for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++) {
        let hits = 0;
        for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4, points)) hits++;
        this.ink(x, y, hits / 16);
      }
    }
  }

  toBuffer(): Buffer {
    return PNG.sync.write(this.png);
  }
}

function inside(x: number, y: number, pts: [number, number][]): boolean {
  let c = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** A seeded pseudo-random generator, so each person's flourish is stable across runs. */
function seeded(text: string): () => number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h ^= h >>> 16) >>> 0) / 4294967296;
  };
}

/** A blue handwritten-looking flourish (600 × 240 px), different per name. */
export function demoSignaturePng(name: string): Buffer {
  const c = new Canvas(600, 240, [22, 45, 160]);
  const rnd = seeded(name.normalize('NFC'));
  const loops = 3 + Math.floor(rnd() * 3);
  const amp = 50 + rnd() * 25;
  const phase = rnd() * Math.PI;
  c.stroke(
    (t) => {
      const x = 60 + t * 440 + 28 * Math.sin(t * loops * 2 * Math.PI + phase);
      const y = 130 - amp * Math.sin(t * loops * 2 * Math.PI) * (1 - 0.6 * t) - 30 * t;
      return [x, y];
    },
    (t) => 3 + 4 * Math.sin(Math.PI * t),
  );
  // The underline swash.
  c.stroke(
    (t) => [90 + t * 450, 190 - 25 * Math.sin(Math.PI * t) + 10 * t],
    (t) => 2 + 4 * Math.sin(Math.PI * t),
  );
  return c.toBuffer();
}

/** A red round seal (400 × 400 px = the diameter), transparent outside the ink. */
export function demoSealPng(): Buffer {
  const size = 400;
  const c = new Canvas(size, size, [214, 24, 32]);
  const m = size / 2;
  c.ring(m, m, 188, 198);
  c.ring(m, m, 140, 146);
  // The band between the rings where an agency's name would run: a ring of dots.
  for (let i = 0; i < 36; i++) {
    const a = (i / 36) * 2 * Math.PI;
    c.dot(m + 166 * Math.cos(a), m + 166 * Math.sin(a), 6);
  }
  // A five-pointed star in the middle.
  const star: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? 70 : 28;
    star.push([m + r * Math.cos(a), m + r * Math.sin(a)]);
  }
  c.polygon(star);
  return c.toBuffer();
}
