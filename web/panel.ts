// What a side panel offers the desktop.
export interface Panel {
  readonly element: HTMLElement;
  /** Redraw from the kernel's current state; called a few times a second while visible. */
  update(): void;
  /** The panel became visible. */
  shown?(): void;
}
