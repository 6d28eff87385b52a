/** `{"success": true, "payload": …}` */
export function ok<T>(payload: T): { success: true; payload: T } {
  return { success: true, payload };
}
