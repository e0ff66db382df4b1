// Scales the recorded page to fit the replay stage. Shared by the player and the first frame shown
// before the app starts (lib/early-replay.ts), so the frame sits where the player will keep it.

export interface FrameSize {
  width: number;
  height: number;
}

/** every Replayer wrapper in `mount` (the one on screen and the hidden ready ones) gets the same fit */
export function fitReplay(stage: HTMLElement | null, mount: HTMLElement | null, { width, height }: FrameSize): void {
  if (!stage || !mount) return;
  const scale = Math.min(stage.clientWidth / width, stage.clientHeight / height, 1);
  for (const wrapper of mount.querySelectorAll<HTMLElement>(':scope > .replayer-wrapper')) {
    wrapper.style.transformOrigin = '0 0';
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.position = 'absolute';
    wrapper.style.left = `${Math.max(0, (stage.clientWidth - width * scale) / 2)}px`;
    wrapper.style.top = `${Math.max(0, (stage.clientHeight - height * scale) / 2)}px`;
  }
}
