/** Small DOM pieces the booking page and the manage page share. */

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

/** Writes to an `aria-live` region so that every message is announced, even one that repeats. */
export function announcer(live: HTMLElement): (message: string) => void {
  return (message) => {
    live.textContent = ''
    // A new text node in the live region is announced even when the message repeats.
    requestAnimationFrame(() => {
      live.textContent = message
    })
  }
}

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { field: string; message: string }[] }
}

/** The sentence to show for an error answer: its field details, else its message, else `fallback`. */
export function errorText(body: ApiErrorBody, fallback: string): string {
  const details = body.error?.details?.map((d) => `${d.field}: ${d.message}`).join('. ')
  return details || body.error?.message || fallback
}
