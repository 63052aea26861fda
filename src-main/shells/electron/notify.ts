/** Desktop notifications from main (the health watch's alerts). */
import { Notification } from 'electron';

export function notifyDesktop(title: string, body: string): void {
  // Throwing tells the watch that no notification was shown, so the window shows one instead.
  if (!Notification.isSupported()) throw new Error('Notifications are not supported here.');
  new Notification({ title, body }).show();
}
