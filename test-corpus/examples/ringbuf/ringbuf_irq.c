// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf interrupt path: the handler records an event for every interrupt. The record helper
 * lives in ringbuf_main.c's module, the bug spans two functions.
 */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "ringbuf.h"

struct rb_event {
	u64 timestamp;
	u32 status;
};

static struct rb_event *rb_event_new(u32 status)
{
	struct rb_event *ev;

	/* Fine from process context, a bug from the interrupt handler below. */
	ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	if (ev)
		ev->status = status;
	return ev;
}

static irqreturn_t ringbuf_irq(int irq, void *data)
{
	struct ringbuf *rb = data;
	struct rb_event *ev;

	ev = rb_event_new(irq); // expect: sleeping-alloc-in-atomic
	if (!ev)
		return IRQ_NONE;

	spin_lock(&rb->lock);
	rb->head = (rb->head + 1) % RB_ENTRIES;
	spin_unlock(&rb->lock);
	kfree(ev);
	return IRQ_HANDLED;
}

int ringbuf_request_irq(struct ringbuf *rb, int irq)
{
	return request_irq(irq, ringbuf_irq, IRQF_SHARED, "ringbuf", rb);
}

void ringbuf_resize(struct ringbuf *rb, unsigned long entries)
{
	unsigned long flags;
	void *bigger;

	spin_lock_irqsave(&rb->lock, flags);
	bigger = vzalloc(entries * sizeof(struct rb_entry)); // expect: vmalloc-in-atomic
	if (bigger) {
		vfree(rb->entries); // expect: sleep-in-atomic
		rb->entries = bigger;
	}
	spin_unlock_irqrestore(&rb->lock, flags);
}
