package load

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Config is one measurement: a workload against one server for a time.
type Config struct {
	URL      string // ws://127.0.0.1:PORT/
	Workload Workload
	Warmup   time.Duration // run, but do not count, this long first
	Duration time.Duration // the measured window
	// ServerPID, when positive, is the server process whose CPU time is
	// read at both ends of the window.
	ServerPID int
	// StopTimeout bounds the wait, after the window, for the echoes still
	// on their way; past it the run fails. Zero means 10 seconds.
	StopTimeout time.Duration
}

// Result is what one measurement found. Every counted message was an
// echo the client checked byte for byte.
type Result struct {
	Workload   string  `json:"workload"`
	Msgs       int64   `json:"msgs"`         // echoes received in the window
	Seconds    float64 `json:"seconds"`      // the window's length
	MsgsPerSec float64 `json:"msgs_per_s"`   //
	P50        float64 `json:"p50_us"`       // round-trip latency, µs, send to whole echo
	P99        float64 `json:"p99_us"`       //
	ServerCPU  float64 `json:"server_cpu_s"` // server user+system CPU in the window
	ClientCPU  float64 `json:"client_cpu_s"` // this process's, to see whether the client was the limit
	// ServerCPUPerMsg is ServerCPU per echoed message, in µs: what the
	// server spent reading one message and writing it back.
	ServerCPUPerMsg float64 `json:"server_cpu_per_msg_us"`
	// The server's read and write system calls per echoed message.
	ServerReadsPerMsg  float64 `json:"server_reads_per_msg"`
	ServerWritesPerMsg float64 `json:"server_writes_per_msg"`
}

// Phases of a run, which the workers read between messages.
const (
	warming int32 = iota
	measuring
	stopping
)

// worker is one connection's loop and what it counted.
type worker struct {
	conn *websocket.Conn
	id   int
	w    Workload
	// done counts verified echoes since the start; the window is the
	// difference of two readings.
	done  atomic.Int64
	lat   []time.Duration // latencies of echoes received while measuring; the worker's own
	phase *atomic.Int32
}

// endSeq marks the last message of a pipelined connection, sent once the
// run stops so that the reader knows when every echo is in.
const endSeq = ^uint64(0)

// Run dials cfg.Workload.Conns connections with a gorilla/websocket client
// (default 4 KiB buffers, so a message over 4 KiB goes out as 4 KiB
// fragments), runs the workload for Warmup+Duration, and checks every
// echo: type, length and bytes (each message carries its sequence number,
// so an echo out of order, lost or repeated is caught too). Any mismatch
// or connection error fails the run.
func Run(cfg Config) (Result, error) {
	w := cfg.Workload
	if w.Conns < 1 || w.InFlight < 1 || w.Size < 8 {
		return Result{}, fmt.Errorf("workload %+v: need a connection, one message in flight and 8 bytes for the sequence number", w)
	}
	var phase atomic.Int32
	workers := make([]*worker, w.Conns)
	closeAll := func() {
		for _, wk := range workers {
			if wk != nil {
				wk.conn.Close()
			}
		}
	}
	dialer := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	for i := range workers {
		c, _, err := dialer.Dial(cfg.URL, nil)
		if err != nil {
			closeAll()
			return Result{}, fmt.Errorf("dial %s (connection %d): %w", cfg.URL, i, err)
		}
		c.SetReadLimit(int64(w.Size)) // so that a longer echo is an error
		workers[i] = &worker{conn: c, id: i, w: w, phase: &phase}
	}
	errs := make([]error, len(workers))
	var wg sync.WaitGroup
	for i, wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w.InFlight == 1 {
				errs[i] = wk.pingPong()
			} else {
				errs[i] = wk.pipelined()
			}
			if errs[i] != nil {
				// One failure ends the run: stop the others too.
				phase.Store(stopping)
			}
		}()
	}

	total := func() int64 {
		var n int64
		for _, wk := range workers {
			n += wk.done.Load()
		}
		return n
	}
	type reading struct {
		at        time.Time
		msgs      int64
		srv, self time.Duration
		rd, wr    int64 // the server's system calls
	}
	var readErr error
	read := func() reading {
		r := reading{at: time.Now(), msgs: total()}
		var err error
		if cfg.ServerPID > 0 {
			if r.srv, err = CPUTime(cfg.ServerPID); err != nil && readErr == nil {
				readErr = err
			}
			if r.rd, r.wr, err = Syscalls(cfg.ServerPID); err != nil && readErr == nil {
				readErr = err
			}
		}
		if r.self, err = CPUTime(os.Getpid()); err != nil && readErr == nil {
			readErr = err
		}
		return r
	}
	time.Sleep(cfg.Warmup)
	phase.CompareAndSwap(warming, measuring)
	r0 := read()
	time.Sleep(cfg.Duration)
	// A window too short for one echo (a tiny test duration, a slow
	// server on a busy machine) is stretched until one arrives, within
	// the stop timeout, rather than reported as zero messages.
	for stretch := time.Now(); total() == r0.msgs && phase.Load() != stopping && time.Since(stretch) < cmp.Or(cfg.StopTimeout, 10*time.Second); {
		time.Sleep(5 * time.Millisecond)
	}
	r1 := read()
	phase.Store(stopping)

	// Bound the end: a worker stuck waiting for an echo that never comes
	// fails on this deadline instead of hanging the run.
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(cmp.Or(cfg.StopTimeout, 10*time.Second)):
		for _, wk := range workers {
			wk.conn.NetConn().SetDeadline(time.Now())
		}
		<-finished
	}
	if err := errors.Join(errs...); err != nil {
		return Result{}, err
	}
	if readErr != nil {
		return Result{}, readErr
	}

	var lat []time.Duration
	for _, wk := range workers {
		lat = append(lat, wk.lat...)
	}
	res := Result{
		Workload:  w.Name,
		Msgs:      r1.msgs - r0.msgs,
		Seconds:   r1.at.Sub(r0.at).Seconds(),
		ServerCPU: (r1.srv - r0.srv).Seconds(),
		ClientCPU: (r1.self - r0.self).Seconds(),
	}
	if res.Msgs == 0 {
		return res, fmt.Errorf("%s: no message echoed in %v", w.Name, r1.at.Sub(r0.at).Round(time.Millisecond))
	}
	res.MsgsPerSec = float64(res.Msgs) / res.Seconds
	res.ServerCPUPerMsg = res.ServerCPU / float64(res.Msgs) * 1e6
	res.ServerReadsPerMsg = float64(r1.rd-r0.rd) / float64(res.Msgs)
	res.ServerWritesPerMsg = float64(r1.wr-r0.wr) / float64(res.Msgs)
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	return res, nil
}

// percentile returns the q-quantile of d in µs (nearest rank). It sorts d.
func percentile(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	i = max(0, min(i, len(d)-1))
	return float64(d[i]) / float64(time.Microsecond)
}

// message returns connection id's message buffer: 8 bytes of sequence
// number, then a pattern that differs between connections, so that an
// echo sent to the wrong connection fails the check.
func message(id, size int) []byte {
	b := make([]byte, size)
	for i := 8; i < size; i++ {
		b[i] = byte(i*7 + id*13 + 1)
	}
	return b
}

func setSeq(b []byte, seq uint64) { binary.BigEndian.PutUint64(b, seq) }

// readEcho reads one message into buf and checks it is a binary message of
// exactly len(buf) bytes (a longer one fails at the read limit).
func (wk *worker) readEcho(buf []byte) error {
	typ, r, err := wk.conn.NextReader()
	if err != nil {
		return fmt.Errorf("connection %d: read: %w", wk.id, err)
	}
	if typ != websocket.BinaryMessage {
		return fmt.Errorf("connection %d: echo is message type %d, want binary (%d)", wk.id, typ, websocket.BinaryMessage)
	}
	n, err := io.ReadFull(r, buf)
	if err != nil {
		return fmt.Errorf("connection %d: echo of %d bytes, want %d: %w", wk.id, n, len(buf), err)
	}
	// A longer echo fails at gorilla's read limit, set to the size sent.
	return nil
}

// counted records one verified echo and, while measuring, its latency.
func (wk *worker) counted(lat time.Duration) {
	wk.done.Add(1)
	if wk.phase.Load() == measuring {
		wk.lat = append(wk.lat, lat)
	}
}

// pingPong sends one message at a time and waits for its echo.
func (wk *worker) pingPong() error {
	msg := message(wk.id, wk.w.Size)
	buf := make([]byte, wk.w.Size)
	for seq := uint64(0); wk.phase.Load() != stopping; seq++ {
		setSeq(msg, seq)
		start := time.Now()
		if err := wk.conn.WriteMessage(websocket.BinaryMessage, msg); err != nil {
			return fmt.Errorf("connection %d: write: %w", wk.id, err)
		}
		if err := wk.readEcho(buf); err != nil {
			return err
		}
		lat := time.Since(start)
		if !bytes.Equal(buf, msg) {
			return fmt.Errorf("connection %d: echo of message %d differs from what was sent", wk.id, seq)
		}
		wk.counted(lat)
	}
	return wk.close()
}

// sent is a pipelined message on its way: the reader learns of it through
// a channel, which also orders the writer's filling of the buffer before
// the reader's comparison.
type sent struct {
	buf  []byte
	seq  uint64
	time time.Time
}

// pipelined keeps InFlight messages outstanding: a writer sends whenever
// a slot is free, and this goroutine reads the echoes in order, checks
// them and frees their slots.
func (wk *worker) pipelined() error {
	n := wk.w.InFlight
	bufs := make([][]byte, n)
	for i := range bufs {
		bufs[i] = message(wk.id, wk.w.Size)
	}
	end := message(wk.id, wk.w.Size)
	setSeq(end, endSeq)
	slots := make(chan struct{}, n)
	for range n {
		slots <- struct{}{}
	}
	pending := make(chan sent, n+1)
	quit := make(chan struct{})
	werr := make(chan error, 1)
	go func() {
		werr <- func() error {
			for seq := uint64(0); ; seq++ {
				select {
				case <-slots:
				case <-quit:
					return nil
				}
				if wk.phase.Load() == stopping {
					pending <- sent{buf: end, seq: endSeq}
					return wk.write(end)
				}
				b := bufs[seq%uint64(n)]
				setSeq(b, seq)
				pending <- sent{buf: b, seq: seq, time: time.Now()}
				if err := wk.write(b); err != nil {
					return err
				}
			}
		}()
	}()
	rerr := func() error {
		buf := make([]byte, wk.w.Size)
		for {
			if err := wk.readEcho(buf); err != nil {
				return err
			}
			now := time.Now()
			s := <-pending
			if !bytes.Equal(buf, s.buf) {
				return fmt.Errorf("connection %d: echo of message %d differs from what was sent (out of order, lost or changed)", wk.id, s.seq)
			}
			if s.seq == endSeq {
				return nil
			}
			wk.counted(now.Sub(s.time))
			slots <- struct{}{}
		}
	}()
	if rerr != nil {
		wk.conn.Close() // so that a writer blocked on the socket returns
	}
	close(quit)
	if err := errors.Join(rerr, <-werr); err != nil {
		wk.conn.Close()
		return err
	}
	return wk.close()
}

func (wk *worker) write(b []byte) error {
	if err := wk.conn.WriteMessage(websocket.BinaryMessage, b); err != nil {
		return fmt.Errorf("connection %d: write: %w", wk.id, err)
	}
	return nil
}

// close runs the closing handshake (§7.1.2): a close frame with 1000, then
// reading until the server's close frame or the end of TCP, for at most a
// second, so that the server ends the connection cleanly before the next
// measurement.
func (wk *worker) close() error {
	defer wk.conn.Close()
	deadline := time.Now().Add(time.Second)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	if err := wk.conn.WriteControl(websocket.CloseMessage, msg, deadline); err != nil {
		return nil // the server already went; nothing measured is affected
	}
	wk.conn.SetReadDeadline(deadline)
	for range 1000 {
		if _, _, err := wk.conn.NextReader(); err != nil {
			break
		}
	}
	return nil
}
