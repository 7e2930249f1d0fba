// The board view: one button per hole (data-hole="N", numbered row by row
// from 0 as the protocol numbers them), carrying data-mole="<moleId>" and
// data-kind while a mole is up. Keys 1–9 name holes 0–8.
import type { Mole } from "../../../sdk/typescript/src/index.js";

/** What a player asked to whack: a hole, and the mole seen there if any. */
export interface Aim {
  hole: number;
  moleId?: number;
}

/** Board renders holes and moles and reports the player's aims. */
export class Board {
  #holes: HTMLButtonElement[] = [];
  #timers = new Map<number, number>();

  constructor(
    private readonly root: HTMLElement,
    private readonly onAim: (aim: Aim) => void,
  ) {
    document.addEventListener("keydown", (event) => this.#onKey(event));
  }

  /** Lays out an empty rows×cols board. */
  reset(rows: number, cols: number): void {
    this.clear();
    this.root.style.setProperty("--cols", String(cols));
    this.#holes = Array.from({ length: rows * cols }, (_, hole) => this.#hole(hole));
    this.root.replaceChildren(...this.#holes);
  }

  /** Shows a mole for its upMs. */
  show(mole: Mole): void {
    const el = this.#holes[mole.hole];
    if (!el) return;
    el.dataset.mole = String(mole.moleId);
    el.dataset.kind = mole.kind;
    el.setAttribute("aria-label", `hole ${mole.hole + 1}: ${mole.kind} mole`);
    window.clearTimeout(this.#timers.get(mole.hole));
    this.#timers.set(mole.hole, window.setTimeout(() => this.hide(mole.hole, mole.moleId), mole.upMs));
  }

  /** Hides the mole at hole (only moleId's, when given: a newer one may be up). */
  hide(hole: number, moleId?: number): void {
    const el = this.#holes[hole];
    if (!el || (moleId !== undefined && el.dataset.mole !== String(moleId))) return;
    delete el.dataset.mole;
    delete el.dataset.kind;
    el.setAttribute("aria-label", `hole ${hole + 1}`);
  }

  /** Flashes a hole green (hit) or red (miss). */
  flash(hole: number, hit: boolean): void {
    const el = this.#holes[hole];
    if (!el) return;
    const name = hit ? "hit" : "miss";
    el.classList.add(name);
    window.setTimeout(() => el.classList.remove(name), 250);
  }

  /** Hides every mole (game over). */
  clear(): void {
    for (const timer of this.#timers.values()) window.clearTimeout(timer);
    this.#timers.clear();
    this.#holes.forEach((_, hole) => this.hide(hole));
  }

  #hole(hole: number): HTMLButtonElement {
    const el = document.createElement("button");
    el.type = "button";
    el.className = "hole";
    el.dataset.hole = String(hole);
    el.setAttribute("aria-label", `hole ${hole + 1}`);
    el.innerHTML = `<span class="mole"></span>${hole < 9 ? `<span class="key">${hole + 1}</span>` : ""}`;
    // pointerdown, not click: a touch's click comes late, and moles are quick.
    el.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      this.#aim(hole);
    });
    // A click with detail 0 is a keyboard activation (Enter or Space on a focused hole).
    el.addEventListener("click", (event) => {
      if (event.detail === 0) this.#aim(hole);
    });
    return el;
  }

  #onKey(event: KeyboardEvent): void {
    if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    if (!/^[1-9]$/.test(event.key)) return;
    const hole = Number(event.key) - 1;
    if (hole < this.#holes.length) {
      event.preventDefault();
      this.#aim(hole);
    }
  }

  #aim(hole: number): void {
    const mole = this.#holes[hole]?.dataset.mole;
    this.onAim({ hole, moleId: mole === undefined ? undefined : Number(mole) });
  }
}
