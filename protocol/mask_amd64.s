//go:build !purego

#include "textflag.h"

// The vectorised masking loops of mask_amd64.go, which explains them.
//
// Registers: DI walks the payload, CX counts the bytes left, AX holds the
// key word (keyWord in mask.go), X0/Y0 hold it repeated.

// MASK_TAIL masks the last CX bytes (fewer than 16) at DI with the word in
// AX: 8 bytes, then 4, then one at a time, shifting the next key byte into
// AL after each.
#define MASK_TAIL \
	CMPQ CX, $8 \
	JB   tail4 \
	XORQ AX, (DI) \
	ADDQ $8, DI \
	SUBQ $8, CX \
tail4: \
	CMPQ CX, $4 \
	JB   tail1 \
	XORL AX, (DI) \
	ADDQ $4, DI \
	SUBQ $4, CX \
tail1: \
	TESTQ CX, CX \
	JZ    done \
loop1: \
	XORB AL, (DI) \
	SHRQ $8, AX \
	INCQ DI \
	DECQ CX \
	JNZ  loop1 \
done: \
	RET

// func maskAVX2(b []byte, key uint64)
TEXT ·maskAVX2(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), DI
	MOVQ b_len+8(FP), CX
	MOVQ key+24(FP), AX
	CMPQ CX, $64
	JB   short

	// Long payload: first mask the head, the 0-31 bytes before the next
	// 32-byte boundary in memory, so that the loop's loads and stores never
	// straddle two cache lines. The head is done in pieces of 1, 2, 4, 8
	// and 16 bytes (the bits of its length, smallest first, so that each
	// piece lands on its own natural boundary). After a 1- or 2-byte piece
	// the key must start one or two bytes further on: rotating the word
	// right by 8 or 16 bits does that, since it holds the key twice.
	MOVQ DI, DX
	NEGQ DX
	ANDQ $31, DX
	SUBQ DX, CX
	TESTQ $1, DX
	JZ   head2
	XORB AL, (DI)
	RORQ $8, AX
	INCQ DI
head2:
	TESTQ $2, DX
	JZ   head4
	XORW AX, (DI)
	RORQ $16, AX
	ADDQ $2, DI
head4:
	TESTQ $4, DX
	JZ   head8
	XORL AX, (DI)
	ADDQ $4, DI
head8:
	TESTQ $8, DX
	JZ   head16
	XORQ AX, (DI)
	ADDQ $8, DI
head16:
	MOVQ AX, X0
	VPBROADCASTQ X0, Y0
	TESTQ $16, DX
	JZ   aligned
	VPXOR   (DI), X0, X1
	VMOVDQU X1, (DI)
	ADDQ    $16, DI
aligned:
	CMPQ CX, $128
	JB   loop32

	// 128 bytes a turn: four loads, four XORs, four stores, independent of
	// one another so the core overlaps them.
loop128:
	VPXOR   (DI), Y0, Y1
	VPXOR   32(DI), Y0, Y2
	VPXOR   64(DI), Y0, Y3
	VPXOR   96(DI), Y0, Y4
	VMOVDQA Y1, (DI)
	VMOVDQA Y2, 32(DI)
	VMOVDQA Y3, 64(DI)
	VMOVDQA Y4, 96(DI)
	ADDQ    $128, DI
	SUBQ    $128, CX
	CMPQ    CX, $128
	JAE     loop128

loop32:
	CMPQ    CX, $32
	JB      last16
	VPXOR   (DI), Y0, Y1
	VMOVDQU Y1, (DI)
	ADDQ    $32, DI
	SUBQ    $32, CX
	JMP     loop32

last16:
	CMPQ    CX, $16
	JB      vdone
	VPXOR   (DI), X0, X1
	VMOVDQU X1, (DI)
	ADDQ    $16, DI
	SUBQ    $16, CX

vdone:
	// Clear the upper halves of the YMM registers: SSE code that runs
	// later (in the runtime or elsewhere) would otherwise pay a penalty.
	VZEROUPPER

short:
	// Under 64 bytes (Mask sends such payloads to the portable code; the tests call
	// this directly): 32 and 16 bytes as they fit, then the tail.
	CMPQ CX, $16
	JB   tail
	MOVQ AX, X0
	VPBROADCASTQ X0, Y0
	JMP  loop32

tail:
	MASK_TAIL

// func maskSSE2(b []byte, key uint64)
TEXT ·maskSSE2(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), DI
	MOVQ b_len+8(FP), CX
	MOVQ key+24(FP), AX
	CMPQ CX, $16
	JB   tail
	MOVQ       AX, X0
	PUNPCKLQDQ X0, X0
	CMPQ       CX, $64
	JB         loop16

	// 64 bytes a turn, four registers.
loop64:
	MOVOU (DI), X1
	MOVOU 16(DI), X2
	MOVOU 32(DI), X3
	MOVOU 48(DI), X4
	PXOR  X0, X1
	PXOR  X0, X2
	PXOR  X0, X3
	PXOR  X0, X4
	MOVOU X1, (DI)
	MOVOU X2, 16(DI)
	MOVOU X3, 32(DI)
	MOVOU X4, 48(DI)
	ADDQ  $64, DI
	SUBQ  $64, CX
	CMPQ  CX, $64
	JAE   loop64

loop16:
	CMPQ  CX, $16
	JB    tail
	MOVOU (DI), X1
	PXOR  X0, X1
	MOVOU X1, (DI)
	ADDQ  $16, DI
	SUBQ  $16, CX
	JMP   loop16

tail:
	MASK_TAIL

// func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL subleaf+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() uint32
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL   $0, CX
	XGETBV
	MOVL   AX, ret+0(FP)
	RET
