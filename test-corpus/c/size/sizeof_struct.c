// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes from sizeof, struct layout (padding, __packed, __aligned), struct_size, array_size and
 * ARRAY_SIZE, evaluated with LP64 layout rules. ARRAY_SIZE, struct_size and array_size come from
 * headers that a header-less scan skips, so they arrive as calls.
 */
#include <linux/slab.h>
#include <linux/overflow.h>

struct mydrv_table {
	u32 entries[1 << 20];		/* exactly 4 MiB */
};

struct mydrv_padded {
	u8 tag;				/* 7 bytes of padding follow */
	u64 words[524287];
	u8 tail[7];			/* 4 MiB + 7, rounded up to 4 MiB + 8 */
};

struct mydrv_packed {
	u8 tag;
	u64 words[524287];
	u8 tail[7];			/* exactly 4 MiB when packed */
} __packed;

struct mydrv_line {
	u8 byte;
} __aligned(64);

struct mydrv_msg {
	u32 len;
	u8 data[];
};

struct mydrv_opaque;

static u64 mydrv_lut[1 << 16];

void *whole_table_bad(void)
{
	return kmalloc(sizeof(struct mydrv_table), GFP_KERNEL); // expect: kmalloc-costly-order
}

void *deref_sizeof_bad(void)
{
	struct mydrv_table *t = kzalloc(sizeof(*t), GFP_KERNEL); // expect: kmalloc-costly-order

	return t;
}

void *deref_sizeof_no_parens_bad(void)
{
	struct mydrv_padded *p;

	p = kzalloc(sizeof *p, GFP_KERNEL); // expect: kmalloc-size-limit
	return p;
}

void *padded_bad(void)
{
	return kmalloc(sizeof(struct mydrv_padded), GFP_KERNEL); // expect: kmalloc-size-limit
}

void *packed_bad(void)
{
	/* Same members as mydrv_padded, but __packed keeps it at exactly 4 MiB. */
	return kmalloc(sizeof(struct mydrv_packed), GFP_KERNEL); // expect: kmalloc-costly-order
}

void *aligned_lines_bad(void)
{
	return kcalloc(65537, sizeof(struct mydrv_line), GFP_KERNEL); // expect: kmalloc-size-limit
}

void *aligned_lines_at_limit_bad(void)
{
	return kcalloc(65536, sizeof(struct mydrv_line), GFP_KERNEL); // expect: kmalloc-costly-order
}

void *aligned_lines_ok(void)
{
	return kcalloc(512, sizeof(struct mydrv_line), GFP_KERNEL);
}

void *flex_bad(void)
{
	struct mydrv_msg *m;

	m = kmalloc(struct_size(m, data, SZ_8M), GFP_KERNEL); // expect: kmalloc-size-limit
	return m;
}

void *flex_at_limit_bad(void)
{
	struct mydrv_msg *m;

	m = kmalloc(struct_size(m, data, SZ_4M - 4), GFP_KERNEL); // expect: kmalloc-costly-order
	return m;
}

void *flex_unknown_ok(size_t n)
{
	struct mydrv_msg *m;

	m = kmalloc(struct_size(m, data, n), GFP_KERNEL);
	return m;
}

void *flex_small_ok(void)
{
	struct mydrv_msg *m;

	m = kzalloc(struct_size(m, data, 256), GFP_KERNEL);
	return m;
}

void *array_size_bad(void)
{
	return kmalloc(array_size(SZ_1M, sizeof(u64)), GFP_KERNEL); // expect: kmalloc-size-limit
}

void *array_size_ok(void)
{
	return kmalloc(array_size(16, sizeof(u64)), GFP_KERNEL);
}

void *lut_copy_bad(void)
{
	return kcalloc(ARRAY_SIZE(mydrv_lut), SZ_128, GFP_KERNEL); // expect: kmalloc-size-limit
}

void *lut_index_ok(void)
{
	/* 8192 x 4 bytes: exactly the costly size, fine. */
	return kcalloc(ARRAY_SIZE(mydrv_lut) / 8, sizeof(u32), GFP_KERNEL);
}

void *opaque_ok(void)
{
	/* The definition is not visible, so the size is unknown: no guess. */
	return kmalloc(sizeof(struct mydrv_opaque) * SZ_1M, GFP_KERNEL);
}
