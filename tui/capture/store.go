package capture

import (
	"fmt"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Limits bound what a [Store] keeps, so that a server or proxy that runs
// for days holds a fixed amount of memory whatever its peers send.
type Limits struct {
	// PerConn is how many entries each connection keeps: a ring, the
	// oldest dropped first. The connection's summary (counts, closes)
	// still covers every entry.
	PerConn int
	// All is how many entries the timeline of all connections keeps.
	All int
	// Payload is how many bytes of each frame's wire bytes and unmasked
	// payload are kept; the header always is.
	Payload int
	// Conns is how many connections are kept; the oldest closed ones go
	// first, and a live one is never dropped.
	Conns int
	// Bytes bounds the payload bytes kept in all: when it is passed, the
	// oldest entries lose their payload (their header stays). An entry
	// that leaves the timeline of all loses its payload too, so payloads
	// are kept only for the newest entries overall.
	Bytes int
}

// DefaultLimits keep 2,000 entries per connection, 20,000 for the
// timeline of all, 4 KiB of each payload, 32 MiB of payloads in all and
// 1,000 connections. An entry without its payload costs a few hundred
// bytes, so the worst case (1,000 connections of 2,000 entries) stays
// under a gigabyte of headers and summaries, and a typical session of 100
// connections under 100 MB; the screens show a few hundred bytes of a
// payload anyway.
var DefaultLimits = Limits{PerConn: 2000, All: 20000, Payload: 4 << 10, Conns: 1000, Bytes: 32 << 20}

// ring is a fixed-size ring of entries. Invariant: n <= len(buf); the
// oldest entry is at head; dropped counts entries pushed out. Entries are
// pointers shared by a connection's ring and the ring of all, so each is
// stored once.
type ring struct {
	buf     []*Entry
	head, n int
	dropped int
}

// push adds e and returns the entry it pushed out, if any.
func (r *ring) push(e *Entry, limit int) (out *Entry) {
	if r.buf == nil || (len(r.buf) < limit && r.n == len(r.buf)) {
		// Grow by doubling up to the limit, so a short connection costs
		// little.
		nb := make([]*Entry, min(limit, max(16, 2*len(r.buf))))
		for i := 0; i < r.n; i++ {
			nb[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	if r.n < len(r.buf) {
		r.buf[(r.head+r.n)%len(r.buf)] = e
		r.n++
		return nil
	}
	out = r.buf[r.head]
	r.buf[r.head] = e
	r.head = (r.head + 1) % len(r.buf)
	r.dropped++
	return out
}

func (r *ring) at(i int) *Entry { return r.buf[(r.head+i)%len(r.buf)] }

type connRec struct {
	info    Conn
	entries ring
}

// Store keeps the capture of a long-running source: the summary of each
// connection and a bounded ring of entries per connection and for all of
// them. It is safe for concurrent use: observers add, one screen reads.
type Store struct {
	lim    Limits
	start  time.Time
	notify chan struct{}

	mu      sync.Mutex
	conns   []*connRec // in order of ID
	byID    map[int]*connRec
	nextID  int
	all     ring
	seq     int
	version uint64
	tap     func(Entry)
	// bytes is the payload bytes kept; every entry of all with Seq below
	// stripped has lost its payload (they are the oldest, a prefix).
	bytes    int
	stripped int
}

// SetTap makes the store call fn with every entry it records, in order of
// Seq, before any later entry is numbered: a log or a JSON stream sees
// entries exactly in the order the screen would. fn runs under the
// store's lock and must not call the store.
func (s *Store) SetTap(fn func(Entry)) {
	s.mu.Lock()
	s.tap = fn
	s.mu.Unlock()
}

// NewStore returns an empty store. Zero fields of lim take the default.
func NewStore(lim Limits) *Store {
	d := DefaultLimits
	if lim.PerConn <= 0 {
		lim.PerConn = d.PerConn
	}
	if lim.All <= 0 {
		lim.All = d.All
	}
	if lim.Payload <= 0 {
		lim.Payload = d.Payload
	}
	if lim.Conns <= 0 {
		lim.Conns = d.Conns
	}
	if lim.Bytes <= 0 {
		lim.Bytes = d.Bytes
	}
	return &Store{lim: lim, start: time.Now(), notify: make(chan struct{}, 1), byID: map[int]*connRec{}}
}

// Start is when the store was made: entries' At count from it.
func (s *Store) Start() time.Time { return s.start }

// Recorder feeds one connection's entries into a store.
type Recorder struct {
	s    *Store
	id   int
	role protocol.Role
}

// Open registers a new connection and returns its recorder. role is the
// endpoint whose observer will feed it (serve: the server).
func (s *Store) Open(peer, source string, role protocol.Role) *Recorder {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	rec := &connRec{info: Conn{ID: id, Peer: peer, Source: source, State: StateHandshake, Started: time.Now()}}
	s.conns = append(s.conns, rec)
	s.byID[id] = rec
	s.evict()
	s.changed()
	s.mu.Unlock()
	return &Recorder{s: s, id: id, role: role}
}

// evict drops the oldest closed connections over the limit. Called with
// s.mu held.
func (s *Store) evict() {
	over := len(s.conns) - s.lim.Conns
	if over <= 0 {
		return
	}
	kept := s.conns[:0]
	for _, c := range s.conns {
		if over > 0 && (c.info.State == StateClosed || c.info.State == StateRefused) {
			delete(s.byID, c.info.ID)
			over--
			continue
		}
		kept = append(kept, c)
	}
	clear(s.conns[len(kept):])
	s.conns = kept
}

// ID is the connection's number, from 1.
func (r *Recorder) ID() int { return r.id }

// Observe is the connection's [protocol.Observer].
func (r *Recorder) Observe(ev protocol.Event) {
	if e, ok := FromEvent(r.role, ev, r.s.start); ok {
		r.Add(e)
	}
}

// Add records one entry of the connection: it is numbered, its payload cut
// to the store's limit, and the connection's summary updated.
func (r *Recorder) Add(e Entry) {
	s := r.s
	e.Conn = r.id
	// A prefix is copied, not resliced, so that a 16 MiB frame does not
	// stay in memory behind its first 4 KiB.
	n := s.lim.Payload + protocol.MaxHeaderSize
	if e.Kind == KindFrame && len(e.Wire) >= 2 {
		n = s.lim.Payload + protocol.HeaderSizeFrom(e.Wire[0], e.Wire[1])
	}
	if len(e.Wire) > n {
		e.Wire = append([]byte(nil), e.Wire[:n]...)
	}
	if len(e.Unmasked) > s.lim.Payload {
		e.Unmasked = append([]byte(nil), e.Unmasked[:s.lim.Payload]...)
	}
	if m := e.Message; m != nil && len(m.Window)+len(m.Compressed)+len(m.Inflated) > 2*s.lim.Payload {
		// A compressed message brings its inflated bytes and the window it
		// started from (up to 32 KiB): keep a prefix, as for frames, and
		// say why it can no longer be taken apart.
		c := *m
		c.Compressed = c.Compressed[:min(len(c.Compressed), s.lim.Payload):min(len(c.Compressed), s.lim.Payload)]
		c.Inflated = c.Inflated[:min(len(c.Inflated), s.lim.Payload):min(len(c.Inflated), s.lim.Payload)]
		c.Window = nil
		e.Message = &c
		e.Note = fmt.Sprintf("this message and its window are longer than the %d bytes kept of each entry, so only their start is kept and it is not taken apart", 2*s.lim.Payload)
	}
	s.mu.Lock()
	e.Seq = s.seq
	s.seq++
	ent := &e
	// The summary needs the whole close payload, which is at most 125
	// bytes (§5.5), so cutting never touches it.
	if rec := s.byID[r.id]; rec != nil {
		rec.info.Apply(e)
		rec.entries.push(ent, s.lim.PerConn)
	}
	s.bytes += payloadSize(ent)
	if out := s.all.push(ent, s.lim.All); out != nil {
		s.strip(out)
	}
	for s.bytes > s.lim.Bytes && s.stripOldest() {
	}
	if s.tap != nil {
		s.tap(e)
	}
	s.changed()
	s.mu.Unlock()
}

// payloadSize is the payload bytes an entry holds beyond its header.
func payloadSize(e *Entry) int {
	n := len(e.Unmasked) // for a message, its inflated bytes
	if e.Kind == KindFrame && len(e.Wire) >= 2 {
		n += max(0, len(e.Wire)-protocol.HeaderSizeFrom(e.Wire[0], e.Wire[1]))
	} else if e.Kind == KindRaw || e.Kind == KindRead {
		n += len(e.Wire)
	}
	return n
}

// strip drops an entry's payload and keeps its header, to bound memory.
// Called with s.mu held. Entries handed out by Window are copies, so no
// screen sees one change.
func (s *Store) strip(e *Entry) {
	n := payloadSize(e)
	if n == 0 {
		return
	}
	s.bytes -= n
	e.Unmasked = nil
	switch {
	case e.Kind == KindFrame && len(e.Wire) >= 2:
		e.Wire = append([]byte(nil), e.Wire[:min(len(e.Wire), protocol.HeaderSizeFrom(e.Wire[0], e.Wire[1]))]...)
	case e.Kind == KindRaw || e.Kind == KindRead:
		e.Wire = nil
	}
	s.stripped = max(s.stripped, e.Seq+1)
}

// stripOldest strips the oldest entry of all that still has a payload,
// and reports whether there was one. Called with s.mu held.
func (s *Store) stripOldest() bool {
	r := &s.all
	// The stripped entries are a prefix: find the first one after it.
	lo, hi := 0, r.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if r.at(mid).Seq < s.stripped {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo >= r.n {
		return false
	}
	e := r.at(lo)
	s.stripped = e.Seq + 1
	s.strip(e)
	return true
}

// Note records a line of text on the connection.
func (r *Recorder) Note(text string) {
	r.Add(Entry{Kind: KindNote, Tag: -1, At: time.Since(r.s.start), Note: text})
}

// End records that the source ended the connection itself, because of
// err (a stalled or vanished peer, a timeout): the summary says closed,
// with err as the reason, and a note says it on the timeline.
func (r *Recorder) End(err error) {
	r.s.mu.Lock()
	if rec := r.s.byID[r.id]; rec != nil {
		if rec.info.State != StateRefused {
			rec.info.State = StateClosed
		}
		if rec.info.Err == "" {
			rec.info.Err = err.Error()
		}
		if rec.info.Ended.IsZero() {
			rec.info.Ended = time.Now()
		}
	}
	r.s.mu.Unlock()
	r.Note("connection ended: " + err.Error())
}

// changed marks a change and wakes the screen. Called with s.mu held.
func (s *Store) changed() {
	s.version++
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// Ready is signalled after changes; a screen receives from it, then reads.
func (s *Store) Ready() <-chan struct{} { return s.notify }

// Version counts changes: a screen redraws only when it moved.
func (s *Store) Version() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Conns returns a copy of every kept connection's summary, in order of ID.
func (s *Store) Conns() []Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Conn, len(s.conns))
	for i, c := range s.conns {
		out[i] = c.info
	}
	return out
}

// Len returns how many entries connection id keeps (id 0: the timeline of
// all connections) and how many older ones were dropped.
func (s *Store) Len(id int) (kept, dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ring(id)
	if r == nil {
		return 0, 0
	}
	return r.n, r.dropped
}

// Window returns up to n kept entries of connection id (0: all), starting
// at the off-th oldest. It copies only those, so a screen drawing a few
// rows costs the same with ten entries or a million.
func (s *Store) Window(id, off, n int) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ring(id)
	if r == nil || off >= r.n || n <= 0 {
		return nil
	}
	off = max(0, off)
	n = min(n, r.n-off)
	out := make([]Entry, n)
	for i := range out {
		out[i] = *r.at(off + i)
	}
	return out
}

func (s *Store) ring(id int) *ring {
	if id == 0 {
		return &s.all
	}
	if c := s.byID[id]; c != nil {
		return &c.entries
	}
	return nil
}

// Find returns the index among connection id's kept entries (0: all) of
// the entry numbered seq, or -1 if it is not kept. Entries are kept in
// order of Seq, so this is a binary search.
func (s *Store) Find(id, seq int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ring(id)
	if r == nil || seq < 0 {
		return -1
	}
	lo, hi := 0, r.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if r.at(mid).Seq < seq {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < r.n && r.at(lo).Seq == seq {
		return lo
	}
	return -1
}
