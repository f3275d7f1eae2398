// CFloat8 1-4-3 and 1-5-2, every bias: every encoding decodes like the reference and survives
// encode/decode and a trip through fp32; every bf16 value and a deterministic sample of fp32 values
// encode (RNE) to the reference's bits and flags.
import { describe, expect, it } from 'vitest';
import { BF16_VALUES, boundaryValues, breathe, checkEncodes, checkEveryEncoding, fp32Values } from './exhaustive.js';
import { ALL_BIASES, Mismatches } from './reference.js';

const FP32_SAMPLE = 100_000;

for (const format of ['cfp8_143', 'cfp8_152']) {
  describe(format, () => {
    it('all 256 encodings x 64 biases: decode, encode round trip, fp32 round trip', async () => {
      const bad = new Mismatches();
      for (const bias of ALL_BIASES) {
        checkEveryEncoding(format, bias, bad)
        await breathe();
      }
      expect(bad.report()).toEqual([]);
    });
    it('encodes the f64s at and next to every rounding boundary like the reference, every bias', async () => {
      const bad = new Mismatches();
      for (const bias of ALL_BIASES) {
        checkEncodes({ format, bias }, boundaryValues({ format, bias }), bad, 'boundary')
        await breathe();
      }
      expect(bad.report()).toEqual([]);
    });
    it('encodes all 65536 bf16 values like the reference, every bias', async () => {
      const bad = new Mismatches();
      for (const bias of ALL_BIASES) {
        checkEncodes({ format, bias }, BF16_VALUES, bad, 'bf16 value')
        await breathe();
      }
      expect(bad.report()).toEqual([]);
    });
    it(`encodes ${FP32_SAMPLE} sampled fp32 values like the reference, every bias`, async () => {
      const bad = new Mismatches();
      for (const bias of ALL_BIASES) {
        checkEncodes({ format, bias }, fp32Values({ format, bias }, FP32_SAMPLE, 1000 + bias), bad, 'fp32 value')
        await breathe();
      }
      expect(bad.report()).toEqual([]);
    });
  });
}
