package lessonrun

import (
	"bytes"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// recorder collects the events of the step being run. Events of a pair
// that is no longer live (replaced by a fresh handshake) are dropped, so
// tearing an old connection down adds nothing to the screen.
type recorder struct {
	mu      sync.Mutex
	live    int
	start   time.Time
	action  int
	events  []Event
	sent    []Event // frames sent, matched against frames received at the end
	changed atomic.Int64
	noRaw   atomic.Bool // the race records its own writes
}

func (r *recorder) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.start = time.Now()
	r.events, r.sent, r.action = nil, nil, -1
}

func (r *recorder) setLive(id int) {
	r.mu.Lock()
	r.live = id
	r.mu.Unlock()
}

// forget stops recording pair id: whatever it does from now on (its
// teardown) belongs to no demo.
func (r *recorder) forget(id int) {
	r.mu.Lock()
	if r.live == id {
		r.live = 0
	}
	r.mu.Unlock()
}

func (r *recorder) setAction(i int) {
	r.mu.Lock()
	r.action = i
	r.mu.Unlock()
}

// add records an event of pair id (0: of no pair).
func (r *recorder) add(id int, e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id != 0 && id != r.live {
		return
	}
	if e.time.IsZero() {
		e.time = time.Now()
	}
	e.Action = r.action
	e.Conn = id
	r.events = append(r.events, e)
	r.changed.Add(1)
}

// observer returns the codec observer of pair id. Handshakes are taken
// from the client's side: the request it sent, the response it got.
func (r *recorder) observer(id int) protocol.Observer {
	return func(ev protocol.Event) {
		r.mu.Lock()
		start := r.start
		r.mu.Unlock()
		var role protocol.Role
		switch ev := ev.(type) {
		case *protocol.HandshakeEvent:
			role = ev.Role
		case *protocol.FrameEvent:
			role = ev.Role
		case *protocol.RawEvent:
			role = ev.Role
		case *protocol.ClosedEvent:
			role = ev.Role
		}
		ce, ok := capture.FromEvent(role, ev, start)
		if !ok {
			return
		}
		ce.Conn = id
		t := ev.EventTime()
		switch ev := ev.(type) {
		case *protocol.HandshakeEvent:
			if ev.Role == protocol.RoleClient {
				r.add(id, Event{Kind: KindHandshake, Role: ev.Role, Entry: ce, time: t})
			}
		case *protocol.FrameEvent:
			if ev.Dir == protocol.Sent {
				r.mu.Lock()
				if id == r.live {
					r.sent = append(r.sent, Event{Kind: KindFrame, Role: ev.Role, Entry: ce, time: t, Action: r.action, Conn: id})
					r.changed.Add(1)
				}
				r.mu.Unlock()
				return
			}
			r.add(id, Event{Kind: KindFrame, Role: ev.Role.Peer(), Entry: ce, Received: true, time: t})
		case *protocol.RawEvent:
			if !r.noRaw.Load() {
				r.add(id, Event{Kind: KindRaw, Role: ev.Role, Entry: ce, time: t})
			}
		case *protocol.ClosedEvent:
			r.add(id, Event{Kind: KindClosed, Role: ev.Role, Entry: ce, time: t})
		}
	}
}

// finish returns the step's events in time order. A frame sent but never
// read by the peer (a muted server, a connection that failed first) is
// kept, with Received false.
func (r *recorder) finish() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	used := make([]bool, len(r.sent))
	rawAction := map[protocol.Role]int{}
	for k := range r.events {
		e := &r.events[k]
		if e.Kind == KindRaw || e.Kind == KindRace {
			rawAction[e.Role] = e.Action
		}
		if e.Kind != KindFrame {
			continue
		}
		if a, ok := rawAction[e.Role]; ok {
			e.Action = a // bytes written by hand: the last raw write is the cause
		}
		for i, s := range r.sent {
			// The receiver's wire bytes are a prefix of the sender's: the
			// same header, and the payload up to where a violation stopped
			// the reader.
			if used[i] || s.Role != e.Role || !bytes.HasPrefix(s.Entry.Wire, e.Entry.Wire) {
				continue
			}
			used[i] = true
			e.Action = s.Action // the action that sent it, not the one running when it arrived
			break
		}
	}
	out := append([]Event(nil), r.events...)
	for i, s := range r.sent {
		if !used[i] {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].time.Before(out[j].time) })
	for i := range out {
		out[i].At = out[i].time.Sub(r.start)
		if out[i].At < 0 {
			out[i].At = 0
		}
		out[i].Entry.At = out[i].At
	}
	r.events, r.sent = nil, nil
	return out
}
