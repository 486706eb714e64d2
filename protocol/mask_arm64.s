//go:build !purego

#include "textflag.h"

// The vectorised masking loop of mask_arm64.go, which explains it.
//
// Registers: R0 walks the payload, R1 counts the bytes left, R2 holds the
// key word (keyWord in mask.go), V0 holds it twice.

// func maskNEON(b []byte, key uint64)
TEXT ·maskNEON(SB), NOSPLIT, $0-32
	MOVD b_base+0(FP), R0
	MOVD b_len+8(FP), R1
	MOVD key+24(FP), R2
	CMP  $64, R1
	BLT  tail8
	VDUP R2, V0.D2

	// 64 bytes a turn: one load of four registers, four XORs, one store
	// that also moves R0 on.
loop64:
	VLD1   (R0), [V1.B16, V2.B16, V3.B16, V4.B16]
	VEOR   V0.B16, V1.B16, V1.B16
	VEOR   V0.B16, V2.B16, V2.B16
	VEOR   V0.B16, V3.B16, V3.B16
	VEOR   V0.B16, V4.B16, V4.B16
	VST1.P [V1.B16, V2.B16, V3.B16, V4.B16], 64(R0)
	SUB    $64, R1
	CMP    $64, R1
	BGE    loop64

	// Under 64 bytes left: 8 at a time, then 4, then one at a time,
	// shifting the next key byte into the low byte of R2 after each.
tail8:
	CMP    $8, R1
	BLT    tail4
	MOVD   (R0), R3
	EOR    R2, R3
	MOVD.P R3, 8(R0)
	SUB    $8, R1
	B      tail8

tail4:
	CMP    $4, R1
	BLT    tail1
	MOVWU  (R0), R3
	EORW   R2, R3
	MOVW.P R3, 4(R0)
	SUB    $4, R1

tail1:
	CBZ    R1, done
	MOVBU  (R0), R3
	EORW   R2, R3
	MOVB.P R3, 1(R0)
	LSR    $8, R2
	SUB    $1, R1
	B      tail1

done:
	RET
