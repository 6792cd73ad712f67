import type { Clock } from "../../../src/app/ports/clock.port.js";

/** A clock that moves only when the test says so. */
export class FixedClock implements Clock {
  private at: number;

  constructor(start: Date | string = "2026-12-04T10:11:12Z") {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(date: Date | string): void {
    this.at = new Date(date).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
