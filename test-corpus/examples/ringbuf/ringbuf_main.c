// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf: an example module with allocation bugs, scanned by the README's first command.
 * Each planted bug is marked with the finding kmodcheck must report on that line.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/sizes.h>
#include "ringbuf.h"

static struct ringbuf *the_rb;

int ringbuf_alloc(struct ringbuf *rb)
{
	/* 65536 entries of 256 bytes: 16 MiB, four times what kmalloc can ever return. */
	rb->entries = kcalloc(RB_ENTRIES, sizeof(*rb->entries), GFP_KERNEL); // expect: kmalloc-size-limit
	if (!rb->entries)
		return -ENOMEM;

	/* 64 KiB of physically contiguous memory: an order-4 request that fails when fragmented. */
	rb->scratch = kmalloc(SZ_64K, GFP_KERNEL); // expect: kmalloc-costly-order
	if (!rb->scratch)
		goto free_entries;

	/* Order 11 is past the buddy allocator's largest block (order 10 on x86_64). */
	rb->dma_pages = __get_free_pages(GFP_KERNEL, RB_DMA_ORDER); // expect: page-order-limit
	if (!rb->dma_pages)
		goto free_scratch;

	spin_lock_init(&rb->lock);
	return 0;

free_scratch:
	kfree(rb->scratch);
free_entries:
	kfree(rb->entries);
	return -ENOMEM;
}

void ringbuf_free(struct ringbuf *rb)
{
	free_pages(rb->dma_pages, RB_DMA_ORDER);
	kfree(rb->scratch);
	kfree(rb->entries);
}

static int __init ringbuf_init(void)
{
	int ret;

	the_rb = kzalloc(sizeof(*the_rb), GFP_KERNEL);
	if (!the_rb)
		return -ENOMEM;
	ret = ringbuf_alloc(the_rb);
	if (ret)
		kfree(the_rb);
	return ret;
}

static void __exit ringbuf_exit(void)
{
	ringbuf_free(the_rb);
	kfree(the_rb);
}

module_init(ringbuf_init);
module_exit(ringbuf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodcheck example: a ring buffer with allocation bugs");
