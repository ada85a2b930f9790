// SPDX-License-Identifier: GPL-2.0
/*
 * kvfree() sleeps only for vmalloc memory; for kmalloc memory it is a kfree(). A structure the
 * module allocates only with kmalloc (here through its own two-level allocation wrapper) may be
 * kvfree'd under a spinlock, however the pointer got there. A structure also allocated with
 * kvzalloc() may be vmalloc memory: its kvfree() under a lock is reported.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/list.h>

struct kk_extent {
	struct list_head list;
	unsigned long start;
};

struct kk_table {
	struct list_head list;
	unsigned long slots[64];
};

struct kk_pool {
	spinlock_t lock;
	struct list_head extents;
	struct list_head tables;
};

static void *kk_alloc(size_t size, gfp_t flags)
{
	void *p;

	p = kmalloc(size, flags);
	if (!p)
		return NULL;
	return p;
}

static void *kk_zalloc(size_t size, gfp_t flags)
{
	return kk_alloc(size, flags | __GFP_ZERO);
}

static void kk_free(const void *p)
{
	kvfree(p);
}

static int kk_add_extent(struct kk_pool *pool, unsigned long start)
{
	struct kk_extent *ext;

	ext = kk_zalloc(sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	ext->start = start;
	spin_lock(&pool->lock);
	list_add(&ext->list, &pool->extents);
	spin_unlock(&pool->lock);
	return 0;
}

static void kk_drop_extent(struct kk_pool *pool, struct kk_extent *ext)
{
	list_del(&ext->list);
	kk_free(ext);
}

/* Only kmalloc'ed extents: kvfree() is kfree() here. */
static void kk_clear_extents(struct kk_pool *pool)
{
	struct kk_extent *ext, *next;

	spin_lock(&pool->lock);
	list_for_each_entry_safe(ext, next, &pool->extents, list)
		kk_drop_extent(pool, ext);
	spin_unlock(&pool->lock);
}

static int kk_add_table(struct kk_pool *pool, bool big)
{
	struct kk_table *t;

	if (big)
		t = kvzalloc(sizeof(*t) * 16, GFP_KERNEL);
	else
		t = kk_zalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock(&pool->lock);
	list_add(&t->list, &pool->tables);
	spin_unlock(&pool->lock);
	return 0;
}

/* Tables may come from kvzalloc(): vmalloc memory, which kvfree() frees with vfree(). */
static void kk_clear_tables_bad(struct kk_pool *pool)
{
	struct kk_table *t, *next;

	spin_lock(&pool->lock);
	list_for_each_entry_safe(t, next, &pool->tables, list) {
		list_del(&t->list);
		kvfree(t); // expect: sleep-in-atomic
	}
	spin_unlock(&pool->lock);
}
