// shp and uhp (the 16-bit configurable floats): every encoding with every bias decodes like the reference and survives encode/decode and a trip
// through fp32; for a few biases every bf16 value and a deterministic sample of fp32 values encode (RNE) to
// the reference's bits and flags.
import { describe, expect, it } from 'vitest';
import { BF16_VALUES, boundaryValues, breathe, checkEncodes, checkEveryEncoding, fp32Values } from './exhaustive.js';
import { ALL_BIASES, Mismatches } from './reference.js';

const BIASES = [0, 1, 15, 31, 47, 62, 63];
const FP32_SAMPLE = 100_000;

for (const FORMAT of ['shp', 'uhp']) describe(FORMAT, () => {
  it('all 65536 encodings x 64 biases: decode, encode round trip, fp32 round trip', async () => {
    const bad = new Mismatches();
    for (const bias of ALL_BIASES) {
      checkEveryEncoding(FORMAT, bias, bad)
      await breathe();
    }
    expect(bad.report()).toEqual([]);
  });
  it(`encodes the f64s at and next to every rounding boundary like the reference, biases ${BIASES.join(', ')}`, async () => {
    const bad = new Mismatches();
    for (const bias of BIASES) {
      checkEncodes({ format: FORMAT, bias }, boundaryValues({ format: FORMAT, bias }), bad, 'boundary')
      await breathe();
    }
    expect(bad.report()).toEqual([]);
  });
  it(`encodes all 65536 bf16 values like the reference, biases ${BIASES.join(', ')}`, async () => {
    const bad = new Mismatches();
    for (const bias of BIASES) {
      checkEncodes({ format: FORMAT, bias }, BF16_VALUES, bad, 'bf16 value')
      await breathe();
    }
    expect(bad.report()).toEqual([]);
  });
  it(`encodes ${FP32_SAMPLE} sampled fp32 values like the reference, biases ${BIASES.join(', ')}`, async () => {
    const bad = new Mismatches();
    for (const bias of BIASES) {
      checkEncodes({ format: FORMAT, bias }, fp32Values({ format: FORMAT, bias }, FP32_SAMPLE, 2000 + bias), bad, 'fp32 value')
      await breathe();
    }
    expect(bad.report()).toEqual([]);
  });
});
