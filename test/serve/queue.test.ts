/** The scoring queue's admission: by count, and with maxWaitS by the time the work ahead would take. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkQueue } from "../../src/serve/queue.js";

/** A queue on a clock the test moves; `finish(k, everyMs)` runs k items one after another, each taking `everyMs`. */
function queue(o: { capacity: number; maxWaitS?: number }) {
  let t = 1_000_000;
  const q = new WorkQueue({ ...o, concurrency: 1, now: () => t });
  const finish = (k: number, everyMs: number) => {
    for (let i = 0; i < k; i++) {
      assert.ok(q.tryAdmit(1));
      t += everyMs;
      q.release(1, true);
    }
  };
  return { q, finish };
}

describe("scoring queue admission", () => {
  it("by count: work beyond the capacity is refused while the queue is not empty; a large request fits an empty queue", () => {
    const { q } = queue({ capacity: 4 });
    assert.equal(q.tryAdmit(3), true);
    assert.equal(q.tryAdmit(2), false);
    assert.equal(q.tryAdmit(1), true);
    assert.equal(q.depth, 4);
    q.release(4);
    assert.equal(q.tryAdmit(10), true, "an empty queue takes a request larger than its capacity");
    assert.equal(q.tryAdmit(1), false);
  });

  it("with maxWaitS: refused once the work ahead would take longer than that at the recent rate; Retry-After from the same rate", () => {
    const { q, finish } = queue({ capacity: 1000, maxWaitS: 1 });
    assert.equal(q.rate(), null);
    finish(40, 100); // 10 items a second lately
    assert.equal(q.rate(), 10);
    assert.equal(q.tryAdmit(8), true);
    assert.equal(q.tryAdmit(2), true, "10 items drain in about a second");
    assert.equal(q.canAdmit(1), false, "the eleventh would wait longer than a second");
    assert.equal(q.tryAdmit(1), false);
    assert.equal(q.retryAfter(1), 1);
    assert.equal(q.tryAdmit(40), false);
    assert.equal(q.retryAfter(40), 1, "a request over the bound waits for an empty queue: the 10 ahead, 1 s at 10/s");
    q.release(10);
    assert.equal(q.tryAdmit(40), true, "an empty queue takes any request");
  });

  it("the rate counts busy time only: a queue idle between items is not taken to be slow", () => {
    const { q, finish } = queue({ capacity: 1000, maxWaitS: 1 });
    finish(10, 100);
    let t = 0;
    const idle = new WorkQueue({ capacity: 1000, concurrency: 1, maxWaitS: 1, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 5_000; // idle
      assert.ok(idle.tryAdmit(1));
      t += 100; // busy
      idle.release(1, true);
    }
    assert.equal(idle.rate(), q.rate());
  });

  it("without a rate yet, maxWaitS leaves admission to the count", () => {
    const { q } = queue({ capacity: 5, maxWaitS: 0.001 });
    assert.equal(q.tryAdmit(5), true);
    assert.equal(q.tryAdmit(1), false);
  });
});
