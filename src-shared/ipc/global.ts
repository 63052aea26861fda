/** The global name both shells install the bridge API under. */
export const API_GLOBAL = 'postscriptConsole';
