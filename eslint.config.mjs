// Lint rules of the house: type-aware promise checks (streaming code lives or dies by them),
// exhaustive switches, and the import boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', 'apps/web/next-env.d.ts', '**/*.js', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.eslint.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default:` branch is an explicit decision for the rest of a union; without one every case must be listed.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // The web app has its own compiler settings (JSX, `@/` paths); its browser tests use DOM types in page.evaluate.
  {
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    languageOptions: { parserOptions: { project: ['./apps/web/tsconfig.json'] } },
    plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      // The Next.js pages directory rule looks for `pages/`; this app uses the app router only.
      '@next/next/no-html-link-for-pages': 'off',
      // React ignores what an event handler returns, so async handlers (onSubmit={save}) are fine;
      // promises elsewhere (effects, callbacks) are still checked.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  { files: ['apps/web/src/**/*.spec.ts'], languageOptions: { parserOptions: { project: ['./apps/web/tsconfig.spec.json'] } } },
  { files: ['apps/web/test/**/*.ts'], languageOptions: { parserOptions: { project: ['./apps/web/test/tsconfig.json'] } } },
  // Import boundaries (ARCHITECTURE.md "Who may import whom").
  { files: ['libs/contracts/src/**/*.ts'], rules: restrict(['@your-api/*'], 'contracts imports nothing') },
  {
    files: ['libs/providers/core/src/**/*.ts', 'libs/billing-math/src/**/*.ts', 'libs/tokenizer/src/**/*.ts'],
    rules: restrict(['@your-api/!(contracts)', '@nestjs/*', 'typeorm'], 'this library may import only @your-api/contracts'),
  },
  {
    files: ['libs/providers/adapters/src/**/*.ts'],
    rules: restrict(['@your-api/!(contracts|providers-core)', '@nestjs/*', 'typeorm'], 'adapters may import only providers-core and contracts'),
  },
  {
    files: ['apps/api/src/**/*.ts', 'libs/*/src/**/*.ts', 'libs/providers/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(['@your-api/testing'], 'testing helpers are for tests only'),
  },
);
