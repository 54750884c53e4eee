/**
 * The demo business's help center (Northwind Outfitters, the store the demo ERP is seeded with), loaded at first
 * start through the normal ingestion path so `npm start` answers real questions with citations. Idempotent: only a
 * tenant without any document gets it, and the same content is never uploaded twice.
 */
import type pg from "pg";
import { createUpload } from "../knowledge/ingest/document-store.ts";

type Faq = { category: string; question: string; answer: string };

const EN: Faq[] = [
  {
    category: "Shipping",
    question: "How long does shipping take?",
    answer:
      "Orders ship within 1 business day. Standard delivery takes 2-4 business days in mainland Europe and 5-8 business days to the rest of the world. Express delivery (1-2 business days, Europe only) can be chosen at checkout.",
  },
  {
    category: "Shipping",
    question: "How much does shipping cost?",
    answer:
      "Standard shipping is free on orders over 50 EUR; below that it costs 4.90 EUR in Europe and 14.90 EUR to the rest of the world. Express delivery costs 9.90 EUR.",
  },
  {
    category: "Shipping",
    question: "Which countries do you ship to?",
    answer:
      "We ship to every country in the European Union, the United Kingdom, Switzerland, Norway, the United States, Canada, Mexico, Brazil, Turkey, India, Indonesia and Japan.",
  },
  {
    category: "Shipping",
    question: "How can I track my order?",
    answer:
      "When your order ships you receive an e-mail with the carrier's tracking number. You can also ask us here on WhatsApp with your order number, for example #D100123.",
  },
  {
    category: "Returns",
    question: "What is your return policy?",
    answer:
      "You can return any unused item within 30 days of delivery for a full refund. Returns are free within the European Union; from other countries the return shipping costs 9.90 EUR. Items must be in their original packaging.",
  },
  {
    category: "Returns",
    question: "How long does a refund take?",
    answer:
      "Refunds are issued to the original payment method within 5 business days after we receive the returned item. Your bank may need 3-5 more days to show it.",
  },
  {
    category: "Returns",
    question: "Can I exchange an item for another size?",
    answer:
      "Yes. Request a return of the item and place a new order for the size you need; we refund the return as soon as it arrives, so you are never charged twice.",
  },
  {
    category: "Orders",
    question: "Can I cancel my order?",
    answer:
      "You can cancel an order while it is still pending (before we start preparing it). Once it has been processed or shipped, you can return it after delivery instead.",
  },
  {
    category: "Orders",
    question: "Can I change the shipping address of my order?",
    answer:
      "The shipping address can be changed while the order is pending. Send us the full new address here and we will update it after you confirm.",
  },
  {
    category: "Payments",
    question: "Which payment methods do you accept?",
    answer:
      "We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and bank transfer (SEPA). We never ask for your card number or password on WhatsApp.",
  },
  {
    category: "Products",
    question: "How do your sizes fit?",
    answer:
      "Our clothing runs true to size. If you are between two sizes, choose the larger one for jackets and the smaller one for T-shirts. Running shoes are sized in EU sizes from 38 to 44.",
  },
  {
    category: "Products",
    question: "How do I wash the merino socks?",
    answer:
      "Machine wash merino socks at 30 °C on a wool cycle, inside out, and let them dry flat. Do not tumble dry or use fabric softener.",
  },
  {
    category: "Warranty",
    question: "What warranty do your products have?",
    answer:
      "All products have a 2-year warranty against manufacturing defects. Wireless headphones and camping lanterns have 3 years. Send us a photo of the defect and your order number to start a warranty claim.",
  },
  {
    category: "Contact",
    question: "What are your customer service hours?",
    answer:
      "Our team answers Monday to Friday from 9:00 to 18:00 (CET). The AI assistant answers on WhatsApp at any time and can pass you to a person.",
  },
];

const ES: Faq[] = [
  {
    category: "Envíos",
    question: "¿Cuánto tarda el envío?",
    answer:
      "Los pedidos salen en 1 día laborable. La entrega estándar tarda de 2 a 4 días laborables en Europa continental y de 5 a 8 días al resto del mundo. El envío exprés (1-2 días laborables, solo Europa) se elige al pagar.",
  },
  {
    category: "Envíos",
    question: "¿Cuánto cuesta el envío?",
    answer:
      "El envío estándar es gratis en pedidos de más de 50 EUR; por debajo cuesta 4,90 EUR en Europa y 14,90 EUR al resto del mundo. El envío exprés cuesta 9,90 EUR.",
  },
  {
    category: "Devoluciones",
    question: "¿Cuál es la política de devoluciones?",
    answer:
      "Puedes devolver cualquier artículo sin usar en los 30 días siguientes a la entrega y te reembolsamos el importe completo. La devolución es gratis dentro de la Unión Europea; desde otros países cuesta 9,90 EUR.",
  },
  {
    category: "Devoluciones",
    question: "¿Cuánto tarda el reembolso?",
    answer: "Hacemos el reembolso al método de pago original en 5 días laborables desde que recibimos el artículo devuelto.",
  },
  {
    category: "Pedidos",
    question: "¿Puedo cancelar mi pedido?",
    answer:
      "Puedes cancelar un pedido mientras esté pendiente. Si ya está en preparación o enviado, puedes devolverlo después de recibirlo.",
  },
  {
    category: "Pagos",
    question: "¿Qué formas de pago aceptáis?",
    answer:
      "Aceptamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay y transferencia SEPA. Nunca te pediremos el número de tarjeta ni contraseñas por WhatsApp.",
  },
  {
    category: "Garantía",
    question: "¿Qué garantía tienen los productos?",
    answer:
      "Todos los productos tienen 2 años de garantía contra defectos de fabricación; los auriculares inalámbricos y las linternas de camping, 3 años.",
  },
  {
    category: "Contacto",
    question: "¿Cuál es el horario de atención?",
    answer: "Nuestro equipo atiende de lunes a viernes de 9:00 a 18:00 (CET). El asistente de IA responde por WhatsApp a cualquier hora.",
  },
];

export const DEMO_DOCUMENTS = [
  { title: "Northwind Outfitters Help Center", language: "en", faqs: EN },
  { title: "Centro de ayuda de Northwind Outfitters", language: "es", faqs: ES },
] as const;

/** Uploads the demo help center for a tenant that has no documents; returns how many documents were queued. */
export async function seedDemoKnowledgeIfEmpty(pool: pg.Pool, tenantId: string): Promise<number> {
  const { rows } = await pool.query("SELECT 1 FROM knowledge_documents WHERE tenant_id = $1 LIMIT 1", [tenantId]);
  if (rows.length > 0) return 0;
  let queued = 0;
  for (const doc of DEMO_DOCUMENTS) {
    const { unchanged } = await createUpload(pool, {
      tenantId,
      title: doc.title,
      filename: `${doc.language}-faq.json`,
      sourceType: "faq_json",
      bytes: new TextEncoder().encode(JSON.stringify(doc.faqs)),
      tags: ["demo", "faq"],
      language: doc.language,
    });
    if (!unchanged) queued += 1;
  }
  return queued;
}
