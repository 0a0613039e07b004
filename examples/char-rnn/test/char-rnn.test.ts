import { describe, expect, it, vi } from 'vitest';
import { Generator } from '@memograd/autograd';
import { CharLSTM, SONNETS, Vocabulary, sample, trainCharRnn } from '../char-rnn.ts';

describe('char-rnn example (smoke)', () => {
  it('a small seeded model learns the text: the loss falls well below a uniform guess', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const r = trainCharRnn({ steps: 60, batchSize: 8, seqLength: 24, hidden: 48, embed: 16, layers: 1, lr: 1e-2, logEvery: 20, seed: 0, sampleLength: 40 });
      expect(r.vocab).toBe(new Vocabulary(SONNETS).size);
      expect(r.losses.map((l) => l.step)).toEqual([20, 40, 60]);
      // a uniform guess costs ln(vocab) ≈ 3.99 nats; character frequencies alone reach ≈ 3.0
      expect(r.losses[0]!.loss).toBeLessThan(r.uniformLoss);
      expect(r.losses[2]!.loss).toBeLessThan(r.losses[0]!.loss - 0.3);
      expect(r.losses[2]!.loss).toBeLessThan(2.9);
      // the held-out text improves too (the model is far from memorising it after 60 small steps)
      expect(r.losses[2]!.validation).toBeLessThan(r.losses[0]!.validation);
      expect(r.losses[2]!.validation).toBeLessThan(3.1);
      expect(r.sample.startsWith('Shall I')).toBe(true);
      expect([...r.sample]).toHaveLength('Shall I'.length + 40);
      // 4·(16+48+1+1)·48 + 48·vocab + vocab weights of the read-out, 16·vocab of the embedding
      const v = r.vocab;
      expect(r.params).toBe(4 * 48 * (16 + 48) + 2 * 4 * 48 + 48 * v + v + 16 * v);
    } finally {
      log.mockRestore();
    }
  });

  it('sampling is deterministic for a seed and only emits characters of the text', () => {
    const vocab = new Vocabulary('abc ab ba cab\n');
    const model = new CharLSTM(vocab.size, { embed: 4, hidden: 8, layers: 1, generator: new Generator(1) });
    const s1 = sample(model, vocab, 'ab', 30, 1, new Generator(5));
    const s2 = sample(model, vocab, 'ab', 30, 1, new Generator(5));
    expect(s1).toBe(s2);
    expect(s1).toHaveLength(32);
    for (const c of s1) expect(vocab.chars).toContain(c);
    expect(() => vocab.encode('z')).toThrow(/"z" is not in the training text/);
  });
});
