// validateLab: what a lab definition must be, and every problem it names.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { exercise, goodLab, CONTENT_DIR, REPO_ROOT } from './support/catalogue-fixtures.ts';

describe('validateLab', () => {
  it('accepts every lab in the real catalogue', () => {
    expect(labs.length).toBeGreaterThan(0);
    for (const lab of labs) expect(validateLab(lab, CONTENT_DIR)).toEqual([]);
  });

  it('accepts the baseline test lab', () => {
    expect(validateLab(goodLab(), CONTENT_DIR)).toEqual([]);
  });

  it.each(['../uts', 'UTS', '', '-uts', 'a'.repeat(65), 'uts lab', 'uts/x', 'uts\n'])(
    'reports the bad id %j',
    (id) => {
      const problems = validateLab(goodLab({ id }), CONTENT_DIR);
      expect(problems.some((p) => p.includes('id must match'))).toBe(true);
    },
  );

  it('reports a repeated container name', () => {
    const problems = validateLab(
      goodLab({
        containers: [
          { name: 'box', title: 'a' },
          { name: 'box', title: 'b' },
        ],
      }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining('container name "box" is repeated'));
  });

  it('reports a solution that types into an unknown terminal', () => {
    const problems = validateLab(
      goodLab({ exercises: [exercise({ solution: [{ terminal: 'ghost', input: 'id' }] })] }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining('unknown terminal "ghost"'));
  });

  it('reports an answer exercise without a capturing step', () => {
    const problems = validateLab(
      goodLab({ exercises: [exercise({ answer: { label: 'A', placeholder: 'a' } })] }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(
      expect.stringContaining('exactly one solution step that captures'),
    );
  });

  it('reports an answer exercise with two capturing steps', () => {
    const problems = validateLab(
      goodLab({
        exercises: [
          exercise({
            answer: { label: 'A', placeholder: 'a' },
            solution: [
              { terminal: 'box', input: 'a', capture: /(a)/ },
              { terminal: 'box', input: 'b', capture: /(b)/ },
            ],
          }),
        ],
      }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(
      expect.stringContaining('exactly one solution step that captures'),
    );
  });

  it('accepts an answer exercise with exactly one capturing step', () => {
    const problems = validateLab(
      goodLab({
        exercises: [
          exercise({
            answer: { label: 'A', placeholder: 'a' },
            solution: [{ terminal: 'box', input: 'a', capture: /(a)/ }],
          }),
        ],
      }),
      CONTENT_DIR,
    );
    expect(problems).toEqual([]);
  });

  it('reports a capture in an exercise that asks for no answer', () => {
    const problems = validateLab(
      goodLab({
        exercises: [exercise({ solution: [{ terminal: 'box', input: 'a', capture: /(a)/ }] })],
      }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(
      expect.stringContaining('captures an answer but asks for none'),
    );
  });

  it.each(['missing.md', '../content/uts.md', 'uts.txt', 'UTS.md'])(
    'reports the lesson file %j',
    (lesson) => {
      const problems = validateLab(goodLab({ lesson }), CONTENT_DIR);
      expect(problems).toContainEqual(expect.stringContaining(`lesson "${lesson}"`));
    },
  );

  it('reports a lesson that exists only relative to another content dir', () => {
    expect(validateLab(goodLab(), path.join(REPO_ROOT, 'server'))).toContainEqual(
      expect.stringContaining('lesson "uts.md"'),
    );
  });

  it('reports a hostname combined with the host UTS namespace', () => {
    const problems = validateLab(
      goodLab({ containers: [{ name: 'box', title: 'b', hostname: 'x', utsMode: 'host' }] }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining('cannot set a hostname'));
  });

  it.each([
    ['memoryMb', { memoryMb: 5 }, 'memory'],
    ['memoryMb', { memoryMb: 4096 }, 'memory'],
    ['pidsLimit', { pidsLimit: 1 }, 'pids limit'],
    ['pidsLimit', { pidsLimit: 1e6 }, 'pids limit'],
    ['cpus', { cpus: 0 }, 'cpus'],
    ['cpus', { cpus: 16 }, 'cpus'],
  ])('reports an out-of-range %s', (_field, limits, words) => {
    const problems = validateLab(
      goodLab({ containers: [{ name: 'box', title: 'b', ...limits }] }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining(words));
  });

  // KNOWN BUG (validate-lab.ts): the range checks are written as `x < min || x > max`, which
  // is false for NaN, so a NaN limit passes validation (and planContainer does not cap it).
  // Change `it.fails` to `it` once fixed.
  it('reports NaN resource limits', () => {
    const problems = validateLab(
      goodLab({
        containers: [
          {
            name: 'box',
            title: 'b',
            memoryMb: Number.NaN,
            pidsLimit: Number.NaN,
            cpus: Number.NaN,
          },
        ],
      }),
      CONTENT_DIR,
    );
    expect(problems).toHaveLength(3);
  });

  it('reports an invalid hostname, container name and exercise id', () => {
    const problems = validateLab(
      goodLab({
        containers: [{ name: 'Box', title: 'b', hostname: 'bad_host' }],
        exercises: [exercise({ id: 'Bad Id', solution: [{ terminal: 'Box', input: 'x' }] })],
      }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining('container name "Box" is invalid'));
    expect(problems).toContainEqual(expect.stringContaining('hostname is invalid'));
    expect(problems).toContainEqual(expect.stringContaining('exercise "Bad Id": id is invalid'));
  });

  it('reports a lab without containers, exercises, hints or solution', () => {
    expect(
      validateLab(
        goodLab({ containers: [], exercises: [exercise({ solution: [] })] }),
        CONTENT_DIR,
      ),
    ).toContainEqual(expect.stringContaining('at least one container'));
    expect(validateLab(goodLab({ exercises: [] }), CONTENT_DIR)).toContainEqual(
      expect.stringContaining('at least one exercise'),
    );
    const problems = validateLab(
      goodLab({ exercises: [exercise({ hints: [], solution: [] })] }),
      CONTENT_DIR,
    );
    expect(problems).toContainEqual(expect.stringContaining('at least one hint'));
    expect(problems).toContainEqual(expect.stringContaining('reference solution'));
  });

  it('reports a repeated exercise id', () => {
    expect(
      validateLab(goodLab({ exercises: [exercise(), exercise()] }), CONTENT_DIR),
    ).toContainEqual(expect.stringContaining('exercise "ex": id is repeated'));
  });
});

describe('validateLab on a profile playground', () => {
  const playground = labs.find((lab) => lab.playground !== undefined);
  if (playground === undefined) throw new Error('the catalogue has no playground lab');
  const [box] = playground.containers;
  if (box === undefined) throw new Error('the playground lab has no container');
  const problems = (change: Partial<typeof playground>): string[] =>
    validateLab({ ...playground, ...change }, CONTENT_DIR);

  it('accepts the real playground lab', () => {
    expect(problems({})).toEqual([]);
  });

  it('refuses a first container the form could not compose', () => {
    for (const odd of [
      { ...box, capAdd: ['NET_ADMIN' as const] },
      { ...box, sysctls: { 'net.ipv4.ip_forward': '1' } },
      { ...box, memoryMb: 1000 },
      { ...box, networkMode: 'bridge' as const },
    ])
      expect(problems({ containers: [odd] }).join()).toMatch(/playground/);
  });

  it('refuses a playground around no container, and in an escape lab', () => {
    expect(problems({ playground: { container: 'nope', seccompProfiles: [] } }).join()).toMatch(
      /must name a container/,
    );
    expect(problems({ escape: true }).join()).toMatch(/cannot be an escape lab/);
  });

  it('refuses a solution that starts a profile a workshop would refuse', () => {
    const [first] = playground.exercises;
    if (first === undefined) throw new Error('no exercise');
    const profile = first.solution[0]?.playground;
    const step = { terminal: box.name, playground: { ...profile, share: ['pid'] } };
    const bad = { ...first, solution: [step] } as unknown as typeof first;
    expect(problems({ exercises: [bad] }).join()).toMatch(/refuses: .*Field "share".*solo mode/);
  });
});
