// Type-aware lint: floating promises are the bug class that matters most in
// an extension host and a long-running trainer. The process-boundaries rule
// keeps each folder to the imports its process may load (ARCHITECTURE.md).
import tseslint from 'typescript-eslint';
import { boundariesPlugin } from './scripts/eslint/processBoundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'model-studio': boundariesPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test awaits its own test() calls.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'model-studio/process-boundaries': 'error',
    },
  },
);
