// Strings of the auditor pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const auditorMessages = defineMessages(
  {
    "auditor.title": "Explorer",
    "auditor.intro":
      "Everything NeoCart promises is checkable on chain {chainId}: the contracts, who may do what, and every event of an order or product.",
    "auditor.lookup": "Look up an order or a product",
    "auditor.lookupLabel": "Order or product",
    "auditor.lookupHint":
      "An on-chain order id (0x + 64 hex digits), an order number, a product slug or a product's chain id.",
    "auditor.lookupSubmit": "Look up",
    "auditor.badQuery": "That is not an order id, an order number or a product slug.",
    "auditor.nothing": "Nothing on chain matches “{q}”.",
    "auditor.orderEvents": "Order {id}: {count} events.",
    "auditor.productEvents": "{product} ({id}): {count} events.",
    "auditor.block": "Block",
    "auditor.time": "Time",
    "auditor.contract": "Contract",
    "auditor.event": "Event",
    "auditor.details": "Details",
    "auditor.actor": "by",
    "auditor.tx": "Transaction",
    "auditor.contracts": "Contracts",
    "auditor.noExplorer":
      "This is a local chain with no block explorer: check the addresses with your own node; the sources are in the repository.",
    "auditor.address": "Address",
    "auditor.startBlock": "Deployed at block",
    "auditor.source": "Verified source",
    "auditor.noSource": "no explorer",
    "auditor.roles": "Roles on chain",
    "auditor.role": "Role",
    "auditor.account": "Account",
    "auditor.since": "Since",
  },
  {
    "auditor.title": "Explorador",
    "auditor.intro":
      "Todo lo que NeoCart promete se puede comprobar en la cadena {chainId}: los contratos, quién puede hacer qué y cada evento de un pedido o producto.",
    "auditor.lookup": "Buscar un pedido o un producto",
    "auditor.lookupLabel": "Pedido o producto",
    "auditor.lookupHint":
      "Un id de pedido en cadena (0x + 64 dígitos hex), un número de pedido, el slug de un producto o su id en cadena.",
    "auditor.lookupSubmit": "Buscar",
    "auditor.badQuery": "Eso no es un id de pedido, un número de pedido ni el slug de un producto.",
    "auditor.nothing": "Nada en la cadena coincide con «{q}».",
    "auditor.orderEvents": "Pedido {id}: {count} eventos.",
    "auditor.productEvents": "{product} ({id}): {count} eventos.",
    "auditor.block": "Bloque",
    "auditor.time": "Hora",
    "auditor.contract": "Contrato",
    "auditor.event": "Evento",
    "auditor.details": "Detalles",
    "auditor.actor": "por",
    "auditor.tx": "Transacción",
    "auditor.contracts": "Contratos",
    "auditor.noExplorer":
      "Es una cadena local sin explorador de bloques: comprueba las direcciones con tu propio nodo; el código fuente está en el repositorio.",
    "auditor.address": "Dirección",
    "auditor.startBlock": "Desplegado en el bloque",
    "auditor.source": "Código verificado",
    "auditor.noSource": "sin explorador",
    "auditor.roles": "Roles en la cadena",
    "auditor.role": "Rol",
    "auditor.account": "Cuenta",
    "auditor.since": "Desde",
  },
);
