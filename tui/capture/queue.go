package capture

import "sync"

// Queue is an unbounded, concurrency-safe queue of entries between a
// source's observers and one screen: the observer never blocks on a slow
// screen. A source that runs without end (serve, proxy) uses a [Store]
// instead, which bounds what it keeps.
type Queue struct {
	mu     sync.Mutex
	items  []Entry
	seq    int
	notify chan struct{}
}

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{notify: make(chan struct{}, 1)} }

// Push numbers e and queues it.
func (q *Queue) Push(e Entry) {
	q.mu.Lock()
	e.Seq = q.seq
	q.seq++
	q.items = append(q.items, e)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Ready is signalled after pushes; receive from it, then Drain.
func (q *Queue) Ready() <-chan struct{} { return q.notify }

// Drain returns and removes every queued entry.
func (q *Queue) Drain() []Entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.items
	q.items = nil
	return out
}
