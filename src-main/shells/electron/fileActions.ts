/** The desktop's "Show in folder" and "Open" for a file the app made (handlers/files.ts checks which). */
import { shell } from 'electron';
import type { FileActions } from '../../handlers/context';

export const electronFileActions: FileActions = {
  reveal: (file) => shell.showItemInFolder(file),
  open: (file) => shell.openPath(file),
};
