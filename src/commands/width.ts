/** Help text fits 80 columns (a dependency-free module: the CLI's entry point imports it before any command loads). */
export const HELP_WIDTH = 80;
