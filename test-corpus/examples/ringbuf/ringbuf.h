/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RINGBUF_H
#define _RINGBUF_H

#include <linux/types.h>
#include <linux/spinlock.h>

#define RB_ENTRIES	65536
#define RB_DMA_ORDER	11

struct rb_entry {
	u64 timestamp;
	u32 len;
	u8 payload[244];
};

struct ringbuf {
	struct rb_entry *entries;
	void *scratch;
	unsigned long dma_pages;
	spinlock_t lock;
	unsigned int head;
	unsigned int tail;
};

int ringbuf_alloc(struct ringbuf *rb);
void ringbuf_free(struct ringbuf *rb);

#endif
