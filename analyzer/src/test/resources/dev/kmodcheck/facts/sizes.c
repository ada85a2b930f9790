#include <linux/slab.h>

struct hdr {
	u8 type;
	u32 len;
	u16 crc;
} __packed;

struct rx_desc {
	u64 addr;
	u32 len;
	u8 flags;
} __aligned(64);

struct item {
	int id;
	char name[20];
};

struct table {
	u32 count;
	struct item items[];
};

struct regs {
	u32 ctrl : 3, mode : 5, : 0;
	u8 tail;
	union {
		u16 half;
		u64 wide;
	};
};

enum { RING_ENTRIES = 256, RING_ELEM = 1 << 4 };

static const unsigned int ring_bytes = RING_ENTRIES * RING_ELEM;
static unsigned long tunable = SZ_8M;
module_param(tunable, ulong, 0444);

static const char banner[] = "kmodcheck";
static const struct item defaults[] = { { 1, "a" }, { 2, "b" }, { 3, "c" } };

void *a_packed(void) { return kmalloc(sizeof(struct hdr), GFP_KERNEL); }
void *b_aligned(void) { return kmalloc(sizeof(struct rx_desc) * 4, GFP_KERNEL); }
void *c_deref(struct table *t) { return kmalloc(sizeof(*t), GFP_KERNEL); }
void *d_struct_size(struct table *t, int n)
{
	return kmalloc(struct_size(t, items, 100), GFP_KERNEL);
}
void *e_enum(void) { return kmalloc(RING_ENTRIES * sizeof(struct item), GFP_KERNEL); }
void *f_sz(void) { return kmalloc(SZ_4M + PAGE_SIZE, GFP_KERNEL); }
void *g_order(void) { return (void *)__get_free_pages(GFP_KERNEL, get_order(SZ_1M)); }
void *h_local(void)
{
	size_t n = 64;
	size_t each = sizeof(struct item);
	return kmalloc(n * each, GFP_KERNEL);
}
void *i_assigned(int x)
{
	size_t n = 64;
	if (x)
		n = 1 << 20;
	return kmalloc(n, GFP_KERNEL);
}
void *j_static(void) { return kmalloc(ring_bytes, GFP_KERNEL); }
void *k_param(void) { return kmalloc(tunable, GFP_KERNEL); }
void *l_array(void) { return kmalloc(ARRAY_SIZE(defaults) * sizeof(banner), GFP_KERNEL); }
void *m_bits(void) { return kmalloc(sizeof(struct regs), GFP_KERNEL); }
void *n_member(struct table *t) { return kmalloc(sizeof(t->items[0].name), GFP_KERNEL); }
void *o_minmax(int n) { return kmalloc(max_t(size_t, 100, 4096), GFP_KERNEL); }
void *p_sz2g(void) { return kmalloc(SZ_2G, GFP_KERNEL); }
void *q_ternary(int x) { return kmalloc(x ? 128 : 128, GFP_KERNEL); }
void *r_shift(void) { return kmalloc(1 << 31, GFP_KERNEL); }
void *s_page_align(void) { return kmalloc(PAGE_ALIGN(5000), GFP_KERNEL); }
void *t_bare_local(void)
{
	size_t n = SZ_64K;
	return kmalloc(n, GFP_KERNEL);
}
void *u_swapped(void)
{
	size_t n = SZ_64K, m = 1;
	do_div(n, 4);
	return kmalloc(n, GFP_KERNEL);
}
