package conformance

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"
)

func TestReachable(t *testing.T) {
	// A port that was listening and no longer is: connecting is refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "ws://" + ln.Addr().String() + "/"
	ln.Close()
	err = Reachable(context.Background(), closed, 5*time.Second)
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("Reachable(%s) = %v, want an *UnreachableError", closed, err)
	}
	if want := "cannot connect to " + closed + ": connection refused"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if nc, err := ln.Accept(); err == nil {
			nc.Close()
		}
	}()
	if err := Reachable(context.Background(), "ws://"+ln.Addr().String()+"/x", 5*time.Second); err != nil {
		t.Errorf("a listening server: %v, want nil", err)
	}
}

func TestCompareIDs(t *testing.T) {
	ids := []string{"B.10", "A.13.1.1", "B.1", "1.1.10", "A.7.1", "12.1.1", "1.2.1", "A.1.2", "1.1.2", "7.13.2", "1.1.1", "2.10", "13.1.1", "2.9", "9.1.1", "1.2.8"}
	slices.SortFunc(ids, CompareIDs)
	want := []string{"1.1.1", "1.1.2", "1.1.10", "1.2.1", "1.2.8", "A.1.2", "2.9", "2.10", "7.13.2", "A.7.1", "9.1.1", "12.1.1", "13.1.1", "A.13.1.1", "B.1", "B.10"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted %v, want %v", ids, want)
	}
}

// The report's order is a total order of every case: no two ids compare
// equal, and it is the order All lists them in once sorted.
func TestCompareIDsAllCases(t *testing.T) {
	all := All()
	for i := range all {
		for j := range all {
			if c := CompareIDs(all[i].ID, all[j].ID); (c == 0) != (i == j) || c != -CompareIDs(all[j].ID, all[i].ID) {
				t.Fatalf("CompareIDs(%s, %s) = %d", all[i].ID, all[j].ID, c)
			}
		}
	}
}
