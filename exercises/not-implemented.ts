/** Thrown by every stub until you implement it: the grader reports the exercise as "not implemented". */
export class NotImplemented extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = 'NotImplemented';
  }
}
