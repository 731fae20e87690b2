// What the desktop shell (app/bridge.js) offers the page as window.samwise;
// absent in a plain browser (`engine serve --ui`), so every use is optional.

export interface DesktopBridge {
  desktop?: boolean;
  openDialog?: (opts: { multiple: boolean; kinds: string[] }) => Promise<string[]>;
  /** Restarts the engine the app supervises (newer shells). */
  restartEngine?: () => Promise<unknown>;
}

declare global {
  interface Window {
    samwise?: DesktopBridge;
  }
}

export function desktop(): DesktopBridge | null {
  return window.samwise ?? null;
}
