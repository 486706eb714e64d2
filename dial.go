package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/wsanatomy/wsanatomy/protocol"
)

func runDial(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("dial", stderr)
	echoMode := fs.Bool("echo", false, "send every received message back until the server closes")
	origin := fs.String("origin", "", "Origin header to send")
	subprotocol := fs.String("subprotocol", "", "subprotocol to offer")
	if err := parseFlags(fs, reorderFlags(args, "--origin", "-origin", "--subprotocol", "-subprotocol")); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "wsanatomy: dial needs exactly one URL, like ws://127.0.0.1:8080/")
		return errUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	opts := &protocol.DialOptions{Origin: *origin}
	if *subprotocol != "" {
		opts.Subprotocols = []string{*subprotocol}
	}
	c, err := protocol.Dial(ctx, fs.Arg(0), opts)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	if *echoMode {
		if err := echo(ctx, c); err != nil {
			c.CloseNow()
			return fmt.Errorf("dial: %w", err)
		}
		return nil
	}
	return chat(ctx, c, stdin, stdout)
}

// chat sends each line of stdin as a text message and prints what arrives.
// At the end of stdin it closes with 1000 and waits for the server's close.
func chat(ctx context.Context, c *protocol.Conn, stdin io.Reader, stdout io.Writer) error {
	readErr := make(chan error, 1)
	go func() {
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				readErr <- err
				return
			}
			if typ == protocol.TextMessage {
				fmt.Fprintf(stdout, "%s\n", msg)
			} else {
				fmt.Fprintf(stdout, "[binary, %d bytes] % x\n", len(msg), msg)
			}
		}
	}()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				// Send our close, but keep printing what arrives until the
				// server answers it.
				c.StartClose(protocol.CloseNormal, "")
				return closeResult(<-readErr)
			}
			if err := c.WriteMessage(ctx, protocol.TextMessage, []byte(line)); err != nil {
				c.CloseNow()
				return fmt.Errorf("dial: %w", err)
			}
		case err := <-readErr:
			return closeResult(err)
		case <-ctx.Done():
			c.Close(protocol.CloseGoingAway, "")
			return closeResult(<-readErr)
		}
	}
}

// closeResult turns the error that ended reading into the command's result:
// nil after a closing handshake, the error otherwise.
func closeResult(err error) error {
	var ce *protocol.CloseError
	if errors.As(err, &ce) && ce.Code != protocol.CloseAbnormalClosure {
		return nil
	}
	return fmt.Errorf("dial: %w", err)
}

// reorderFlags moves flags before positional arguments, so that both
// "dial --echo URL" and "dial URL --echo" work. valued names the flags that
// take a value as the next argument.
func reorderFlags(args []string, valued ...string) []string {
	takesValue := make(map[string]bool, len(valued))
	for _, v := range valued {
		takesValue[v] = true
	}
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if takesValue[a] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
