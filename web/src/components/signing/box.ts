/** The signature box in PDF points (origin bottom-left, page from 1), as the server takes it. */
export type Box = { page: number; x: number; y: number; width: number; height: number };
/** The leader's signature box: the size the engine draws (handwritten image, seal over its left third). */
export const BOX_WIDTH = 170;
export const BOX_HEIGHT = 85;
