// Types of precompiled.js (generated from the .hbs files next to it).
import type { TemplateSpecification } from 'handlebars';

/** Built-in templates by name, precompiled with TEMPLATE_OPTIONS. */
export declare const specs: Readonly<Record<string, TemplateSpecification>>;
