/** Built by web/vite.config.ts from operations/web/*.graphql. */
declare module 'virtual:stored-operations' {
  export const operations: Record<string, { text: string; template: boolean; public: boolean }>;
}
