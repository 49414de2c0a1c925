// A minimal glTF 2.0 binary (.glb) writer for simple product stand-ins (a box or a cylinder with
// one PBR material): enough for AR viewers (model-viewer, Scene Viewer, Quick Look via conversion)
// without shipping downloaded assets.

export type Shape = "box" | "cylinder";
export type ModelSpec = {
  name: string;
  shape: Shape;
  /** Metres: width (x), height (y), depth (z); a cylinder uses width as its diameter. */
  size: readonly [number, number, number];
  /** Linear RGBA, 0–1. */
  color: readonly [number, number, number, number];
};

type Mesh = { positions: number[]; normals: number[]; indices: number[] };

function boxMesh([w, h, d]: readonly [number, number, number]): Mesh {
  const [x, y, z] = [w / 2, h / 2, d / 2];
  // Four vertices per face so each face has its own flat normal.
  const faces: { n: [number, number, number]; corners: [number, number, number][] }[] = [
    {
      n: [1, 0, 0],
      corners: [
        [x, -y, z],
        [x, -y, -z],
        [x, y, -z],
        [x, y, z],
      ],
    },
    {
      n: [-1, 0, 0],
      corners: [
        [-x, -y, -z],
        [-x, -y, z],
        [-x, y, z],
        [-x, y, -z],
      ],
    },
    {
      n: [0, 1, 0],
      corners: [
        [-x, y, z],
        [x, y, z],
        [x, y, -z],
        [-x, y, -z],
      ],
    },
    {
      n: [0, -1, 0],
      corners: [
        [-x, -y, -z],
        [x, -y, -z],
        [x, -y, z],
        [-x, -y, z],
      ],
    },
    {
      n: [0, 0, 1],
      corners: [
        [-x, -y, z],
        [x, -y, z],
        [x, y, z],
        [-x, y, z],
      ],
    },
    {
      n: [0, 0, -1],
      corners: [
        [x, -y, -z],
        [-x, -y, -z],
        [-x, y, -z],
        [x, y, -z],
      ],
    },
  ];
  const mesh: Mesh = { positions: [], normals: [], indices: [] };
  for (const face of faces) {
    const base = mesh.positions.length / 3;
    for (const corner of face.corners) {
      mesh.positions.push(...corner);
      mesh.normals.push(...face.n);
    }
    mesh.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  return mesh;
}

function cylinderMesh([w, h]: readonly [number, number, number], segments = 32): Mesh {
  const r = w / 2;
  const y = h / 2;
  const mesh: Mesh = { positions: [], normals: [], indices: [] };
  // Side: a ring of vertex pairs with outward normals (seam duplicated for a closed loop).
  for (let i = 0; i <= segments; i++) {
    const a = (i / segments) * Math.PI * 2;
    const [cx, cz] = [Math.cos(a), Math.sin(a)];
    mesh.positions.push(r * cx, -y, r * cz, r * cx, y, r * cz);
    mesh.normals.push(cx, 0, cz, cx, 0, cz);
  }
  for (let i = 0; i < segments; i++) {
    const b = i * 2;
    mesh.indices.push(b, b + 1, b + 3, b, b + 3, b + 2);
  }
  // Caps: a centre vertex and a ring each, facing up and down.
  for (const [capY, ny] of [
    [y, 1],
    [-y, -1],
  ] as const) {
    const centre = mesh.positions.length / 3;
    mesh.positions.push(0, capY, 0);
    mesh.normals.push(0, ny, 0);
    for (let i = 0; i <= segments; i++) {
      const a = (i / segments) * Math.PI * 2;
      mesh.positions.push(r * Math.cos(a), capY, r * Math.sin(a));
      mesh.normals.push(0, ny, 0);
    }
    for (let i = 0; i < segments; i++) {
      const a = centre + 1 + i;
      // Counter-clockwise seen from outside.
      if (ny > 0) mesh.indices.push(centre, a + 1, a);
      else mesh.indices.push(centre, a, a + 1);
    }
  }
  return mesh;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function buildGlb(spec: ModelSpec): Uint8Array {
  const mesh = spec.shape === "box" ? boxMesh(spec.size) : cylinderMesh(spec.size);
  const positions = new Float32Array(mesh.positions);
  const normals = new Float32Array(mesh.normals);
  const indices = new Uint16Array(mesh.indices);
  const vertexCount = positions.length / 3;
  const min = [0, 1, 2].map((axis) =>
    Math.min(...Array.from({ length: vertexCount }, (_, v) => positions[v * 3 + axis] ?? 0)),
  );
  const max = [0, 1, 2].map((axis) =>
    Math.max(...Array.from({ length: vertexCount }, (_, v) => positions[v * 3 + axis] ?? 0)),
  );

  const positionsOffset = 0;
  const normalsOffset = positions.byteLength;
  const indicesOffset = normalsOffset + normals.byteLength;
  const binLength = pad4(indicesOffset + indices.byteLength);
  const bin = new Uint8Array(binLength);
  bin.set(new Uint8Array(positions.buffer), positionsOffset);
  bin.set(new Uint8Array(normals.buffer), normalsOffset);
  bin.set(new Uint8Array(indices.buffer), indicesOffset);

  const gltf = {
    asset: { version: "2.0", generator: "NeoCart catalog seed" },
    scene: 0,
    scenes: [{ name: spec.name, nodes: [0] }],
    nodes: [{ name: spec.name, mesh: 0 }],
    meshes: [
      {
        name: spec.name,
        primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2, material: 0, mode: 4 }],
      },
    ],
    materials: [
      {
        name: `${spec.name} material`,
        pbrMetallicRoughness: { baseColorFactor: [...spec.color], metallicFactor: 0.1, roughnessFactor: 0.6 },
      },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: vertexCount, type: "VEC3", min, max },
      { bufferView: 1, componentType: 5126, count: vertexCount, type: "VEC3" },
      { bufferView: 2, componentType: 5123, count: indices.length, type: "SCALAR" },
    ],
    bufferViews: [
      { buffer: 0, byteOffset: positionsOffset, byteLength: positions.byteLength, target: 34962 },
      { buffer: 0, byteOffset: normalsOffset, byteLength: normals.byteLength, target: 34962 },
      { buffer: 0, byteOffset: indicesOffset, byteLength: indices.byteLength, target: 34963 },
    ],
    buffers: [{ byteLength: binLength }],
  };
  // The JSON chunk is padded with spaces and the BIN chunk with zeros (glTF 2.0 §4.4.3).
  const encoded = new TextEncoder().encode(JSON.stringify(gltf));
  const jsonBytes = new Uint8Array(pad4(encoded.length)).fill(0x20);
  jsonBytes.set(encoded);
  const total = 12 + 8 + jsonBytes.length + 8 + bin.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true); // "glTF"
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  out.set(jsonBytes, 20);
  const binHeader = 20 + jsonBytes.length;
  view.setUint32(binHeader, bin.length, true);
  view.setUint32(binHeader + 4, 0x004e4942, true); // "BIN\0"
  out.set(bin, binHeader + 8);
  return out;
}
