// One flat config for server, labs, tests and the browser app; type-aware rules catch
// floating promises, which in a server that drives Docker mean leaked containers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'test/artifacts/', '.nslab/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Express tells error handlers apart by arity, so an unused `_next` must stay.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['web/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Size limits keep modules about one thing: no file over 300 lines anywhere, and no
  // function over 60 outside test files (a describe callback is a list of cases, not logic).
  { files: ['**/*.ts'], rules: { 'max-lines': ['error', { max: 300 }] } },
  {
    files: ['server/**/*.ts', 'labs/**/*.ts', 'web/src/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/**/*.test.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
