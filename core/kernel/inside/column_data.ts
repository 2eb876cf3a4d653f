/**
 * One column's values while a checkpoint is encoded. Numbers go into a Float64Array, off the
 * JS heap (the kernel's heap may be near its cap when a big table is saved), until the first
 * value that is not a number; from then on every value goes into a plain array.
 */
export class ColumnData {
  /** The values, once one of them was not a number. */
  values: unknown[] | undefined;
  /** Every value so far is an int32 other than -0 / larger than the one before. */
  int = true;
  rising = true;
  #capacity: number;
  #numbers = new Float64Array(0); // allocated at the first number
  #length = 0;
  #prev = -Infinity;

  /** `capacity`: how many values will be added. */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(v: unknown): void {
    if (this.values) {
      this.values.push(v);
    } else if (typeof v === "number") {
      if (this.#length === 0) this.#numbers = new Float64Array(this.#capacity);
      if (this.int && ((v | 0) !== v || Object.is(v, -0))) this.int = false;
      if (this.rising && !(v > this.#prev)) this.rising = false;
      this.#prev = v;
      this.#numbers[this.#length++] = v;
    } else {
      this.values = Array.from(this.#numbers.subarray(0, this.#length));
      this.values.push(v);
      this.#numbers = new Float64Array(0);
      this.int = this.rising = false;
    }
  }

  /** The numbers, when every value was one. */
  get numbers(): Float64Array | undefined {
    return this.values ? undefined : this.#numbers.subarray(0, this.#length);
  }
}
