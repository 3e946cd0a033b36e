// The glossary page's terms: both columns and both meanings filled, each term once, and the
// terms the seeds use (the issue names them) all there.
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '../../web/src/i18n/glossary.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('the glossary', () => {
  it.each(GLOSSARY.map((entry) => [entry.en, entry] as const))(
    '%s has both columns filled',
    (_en, entry) => {
      expect(entry.zh.trim()).not.toBe('');
      expect(entry.zh).toMatch(CJK);
      expect(entry.en.trim()).toMatch(/^[a-z][a-z ()-]*$/);
      expect(entry.meaning.en.trim().length).toBeGreaterThan(20);
      expect(entry.meaning.en).not.toMatch(CJK);
      expect(entry.meaning.zh).toMatch(CJK);
      expect(entry.meaning.zh.trim().length).toBeGreaterThan(8);
    },
  );

  it('lists each term once', () => {
    expect(new Set(GLOSSARY.map((e) => e.zh)).size).toBe(GLOSSARY.length);
    expect(new Set(GLOSSARY.map((e) => e.en)).size).toBe(GLOSSARY.length);
  });

  it("has the seeds' terms", () => {
    const zh = GLOSSARY.map((e) => e.zh);
    for (const term of [
      '命名空间',
      '控制组',
      '能力',
      '特权',
      '镜像',
      '容器',
      '宿主机',
      '内核',
      '守护进程',
      '挂载',
      '只读',
      '根文件系统',
      '用户命名空间',
      '逃逸',
      '套接字',
      '系统调用',
      '最小权限',
      '资源限制',
      '审计',
      '强制访问控制',
    ])
      expect(zh).toContain(term);
  });
});
