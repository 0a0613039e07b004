/**
 * SummaryWriter's argument checks: every bad argument is an ArgumentError naming the method, and
 * writes nothing (the file after a flush is byte-identical); writing after close() is a
 * TensorBoardError; the file system's refusals are TensorBoardErrors naming the path.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor, zeros } from '@memograd/autograd';
import { SummaryWriter, TensorBoardError } from '@memograd/optim/node';
import { tempDir } from './tensorboard-helpers.ts';

function eventFile(dir: string): Buffer {
  const f = readdirSync(dir).find((n) => n.includes('tfevents'))!;
  return readFileSync(join(dir, f));
}

describe('SummaryWriter arguments', () => {
  const dir = join(tempDir(), 'run');
  const w = new SummaryWriter(dir);
  w.flush();
  const before = eventFile(dir);
  const img = zeros([3, 2, 2]);
  const nanImage = zeros([1, 1]);
  nanImage.data[0] = NaN;

  const cases: Array<[string, () => void, RegExp]> = [
    ['addScalar', () => w.addScalar('', 1), /tag must be a non-empty string/],
    ['addScalar', () => w.addScalar(3 as never, 1), /tag must be a non-empty string, got 3/],
    ['addScalar', () => w.addScalar('a', '1' as never), /value must be a number or a one-element Tensor/],
    ['addScalar', () => w.addScalar('a', tensor([1, 2])), /value must be a number or a one-element Tensor/],
    ['addScalar', () => w.addScalar('a', 1, -1), /step must be a non-negative integer, got -1/],
    ['addScalar', () => w.addScalar('a', 1, 1.5), /step must be a non-negative integer/],
    ['addScalar', () => w.addScalar('a', 1, 2 ** 53), /step must be a non-negative integer/],
    ['addScalar', () => w.addScalar('a', 1, 0, NaN), /wallTime must be a positive number/],
    ['addScalar', () => w.addScalar('a', 1, 0, 0), /wallTime must be a positive number/],
    ['addScalars', () => w.addScalars('m', {}), /record must have at least one key/],
    ['addScalars', () => w.addScalars('m', null as never), /record must be an object, got null/],
    ['addScalars', () => w.addScalars('m', { a: 1, b: 'x' as never }), /record\['b'\] must be a number/],
    ['addScalars', () => w.addScalars('a', { '/../../x': 1 }), /must be a relative folder name/],
    ['addScalars', () => w.addScalars('', { a: 1 }), /mainTag must be a non-empty string/],
    ['addHistogram', () => w.addHistogram('h', []), /values must not be empty/],
    ['addHistogram', () => w.addHistogram('h', [1, NaN]), /values must be finite, but element 1 is NaN/],
    ['addHistogram', () => w.addHistogram('h', [1, 'a'] as never), /values\[1\] must be a number/],
    ['addHistogram', () => w.addHistogram('h', 'abc' as never), /values must be a Tensor or an array of numbers/],
    ['addHistogram', () => w.addHistogram('h', [1, 2], 0, 0), /bins must be 'tensorflow', an integer count from 1/],
    ['addHistogram', () => w.addHistogram('h', [1, 2], 0, 'auto' as never), /bins must be 'tensorflow'/],
    ['addHistogram', () => w.addHistogram('h', [1, 2], 0, [0, 0, 3]), /bins must increase strictly/],
    ['addHistogram', () => w.addHistogram('h', [1, 5], 0, [0, 1, 3]), /1 of the 2 values lie outside the bins \[0, 3\]/],
    ['addHistogram', () => w.addHistogram('h', [1e21]), /outside the bins/],
    ['addText', () => w.addText('t', 5 as never), /text must be a string, got 5/],
    ['addImage', () => w.addImage('i', [[1]] as never), /img must be a Tensor/],
    ['addImage', () => w.addImage('i', img, 0, { dataformats: 'NCHW' as never }), /dataformats must be 'CHW', 'HWC' or 'HW'/],
    ['addImage', () => w.addImage('i', img, 0, { dataformats: 'HW' }), /needs 2 dims, got shape \[3, 2, 2\]/],
    ['addImage', () => w.addImage('i', zeros([2, 4, 4])), /needs 1, 3 or 4 channels, got 2/],
    ['addImage', () => w.addImage('i', zeros([0, 4]), 0, { dataformats: 'HW' }), /the image is empty/],
    ['addImage', () => w.addImage('i', nanImage, 0, { dataformats: 'HW' }), /holds NaN at element 0/],
    ['addImage', () => w.addImage('i', img, 0, { dataFormats: 'HW' } as never), /unknown option 'dataFormats'/],
    ['addHparams', () => w.addHparams({ lr: NaN }, {}), /hparams\['lr'\] must be a finite number, a string or a boolean, got NaN/],
    ['addHparams', () => w.addHparams({ lr: null } as never, {}), /hparams\['lr'\]/],
    ['addHparams', () => w.addHparams({ lr: 1 }, { acc: '1' } as never), /metrics\['acc'\] must be a number/],
    ['addHparams', () => w.addHparams({ lr: 1 }, { acc: 1 }, { runName: '../escape' }), /runName must be a relative folder name/],
    ['addHparams', () => w.addHparams({ lr: 1 }, { acc: 1 }, { runName: '/abs' }), /runName must be a relative folder name/],
    ['addHparams', () => w.addHparams([] as never, {}), /hparams must be an object/],
    ['addHparams', () => w.addHparams({ lr: 1 }, { acc: 1 }, { experiment: 'no' } as never), /experiment must be a boolean, got "no"/],
  ];

  it.each(cases.map((c, i) => [i, ...c] as const))('case %i: %s rejects with an ArgumentError naming it', (_i, method, call, message) => {
    expect.hasAssertions();
    let err: unknown;
    try { call(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toMatch(new RegExp(`^SummaryWriter\\.${method}: `));
    expect((err as Error).message).toMatch(message);
  });

  it('a rejected call wrote nothing: the file is unchanged after flush, and no sub-run appeared', () => {
    w.flush();
    expect(eventFile(dir).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((n) => !n.includes('tfevents'))).toEqual([]);
  });
});

describe('SummaryWriter lifecycle', () => {
  it('rejects a bad constructor call with the class name', () => {
    expect.hasAssertions();
    const d = tempDir();
    for (const [args, msg] of [
      [[''], /logDir must be a non-empty path string/],
      [[5], /logDir must be a non-empty path string, got 5/],
      [[d, { maxQueue: 0 }], /maxQueue must be a positive integer/],
      [[d, { flushSecs: -1 }], /flushSecs must be a positive number/],
      [[d, { filenameSuffix: '/x' }], /filenameSuffix must be a string without path separators/],
      [[d, { flush: 1 }], /unknown option 'flush'/],
      [[d, 'x'], /options must be an object/],
    ] as const) {
      expect(() => new SummaryWriter(...(args as unknown as [string]))).toThrow(ArgumentError);
      expect(() => new SummaryWriter(...(args as unknown as [string]))).toThrow(new RegExp(`^SummaryWriter: .*${msg.source}`));
    }
    expect(readdirSync(d)).toEqual([]);
  });

  it('queues records until maxQueue, and close() flushes; writing after close is a TensorBoardError', () => {
    const d = tempDir();
    const w = new SummaryWriter(d, { maxQueue: 3 });
    const size0 = eventFile(d).length;
    w.addScalar('a', 1);
    w.addScalar('a', 2);
    expect(eventFile(d).length).toBe(size0);
    w.addScalar('a', 3);
    const size3 = eventFile(d).length;
    expect(size3).toBeGreaterThan(size0);
    w.addScalar('a', 4);
    expect(eventFile(d).length).toBe(size3);
    w.close();
    expect(eventFile(d).length).toBeGreaterThan(size3);
    expect(w.closed).toBe(true);
    w.close(); // closing twice is harmless
    for (const call of [() => w.addScalar('a', 1), () => w.addText('t', 'x'), () => w.flush(), () => w.addHparams({ a: 1 }, { m: 1 })]) {
      expect(call).toThrow(TensorBoardError);
      expect(call).toThrow(/^SummaryWriter\.\w+: the writer of .* is closed/);
    }
  });

  it('a log directory that is a file is a TensorBoardError naming the path', () => {
    const d = tempDir();
    writeFileSync(join(d, 'file'), 'x');
    expect(() => new SummaryWriter(join(d, 'file'))).toThrow(TensorBoardError);
    expect(() => new SummaryWriter(join(d, 'file', 'run'))).toThrow(/^SummaryWriter: cannot create the event file .*file/);
  });
});
