//! Drawing the 3-D scene with eframe's wgpu renderer: an egui paint callback whose pipelines
//! test and write a depth buffer (the window asks eframe for one), so the surface hides what is
//! behind it. The vertices come from [`downhill_engine::picture::surface`]; buffers are uploaded only when their
//! data change (the surface when a new picture arrives, the paths when they grow).

use std::sync::Arc;

use eframe::egui_wgpu::{self, wgpu};
use wgpu::util::DeviceExt as _;

use downhill_engine::picture::surface::{Mesh, STRIDE};

/// The depth format the window's render pass has (see `NativeOptions::depth_buffer` = 32).
pub const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
/// `NativeOptions::depth_buffer` for [`DEPTH_FORMAT`].
pub const DEPTH_BITS: u8 = 32;
/// Samples per pixel of the window's render pass (`NativeOptions::multisampling`; 1 = none):
/// the pipelines must match it.
pub const MSAA: u16 = 1;

const SHADER: &str = r"
struct U { view_proj: mat4x4<f32>, light: vec4<f32> };
@group(0) @binding(0) var<uniform> u: U;
struct VIn {
    @location(0) pos: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) color: vec4<f32>,
};
struct VOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) normal: vec3<f32>,
    @location(1) color: vec4<f32>,
};
@vertex fn vs_main(v: VIn) -> VOut {
    var o: VOut;
    o.clip = u.view_proj * vec4<f32>(v.pos, 1.0);
    o.normal = v.normal;
    o.color = v.color;
    return o;
}
@fragment fn fs_main(i: VOut) -> @location(0) vec4<f32> {
    // A zero normal is unlit (lines); surfaces get ambient plus two-sided diffuse light.
    if (dot(i.normal, i.normal) < 0.01) { return i.color; }
    let d = abs(dot(normalize(i.normal), normalize(u.light.xyz)));
    return vec4<f32>(i.color.rgb * (0.35 + 0.65 * d), i.color.a);
}
";

/// What one frame draws: shared, so building the callback costs a few pointer copies.
#[derive(Clone)]
pub struct Scene {
    /// The surface (its pointer identifies it: uploaded once per picture).
    pub surface: Arc<Mesh>,
    /// Unlit line segments: the floor contours and the minima marks.
    pub lines: Arc<Vec<f32>>,
    /// The paths, as ribbons (unlit triangles).
    pub paths: Arc<Mesh>,
    /// Lit triangles drawn every frame: the balls.
    pub balls: Arc<Mesh>,
    /// Projection × view, column-major.
    pub view_proj: [f32; 16],
}

/// The pipelines and buffers, kept in egui's callback resources.
pub struct Gpu3d {
    triangles: wgpu::RenderPipeline,
    line_list: wgpu::RenderPipeline,
    uniform: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    // Each buffer with the data it was made from (held, so identity by pointer stays sound).
    surface: Option<HeldMesh>,
    lines: Option<(Arc<Vec<f32>>, wgpu::Buffer, u32)>,
    paths: Option<HeldMesh>,
    balls: Option<HeldMesh>,
}

/// A mesh on the GPU with the data it holds. Its buffers are rewritten in place when new data
/// fit (the paths change every frame while runs play), and grow by half again when not.
struct HeldMesh {
    data: Arc<Mesh>,
    vertices: wgpu::Buffer,
    indices: wgpu::Buffer,
    count: u32,
}

impl HeldMesh {
    /// Makes `held` show `m`.
    fn update(held: &mut Option<Self>, device: &wgpu::Device, queue: &wgpu::Queue, m: &Arc<Mesh>) {
        if held.as_ref().is_some_and(|h| Arc::ptr_eq(&h.data, m)) {
            return;
        }
        // wgpu refuses empty buffers: a degenerate triangle stands in.
        let (v, i): (&[f32], &[u32]) = if m.indices.is_empty() {
            (&[0.0; STRIDE], &[0, 0, 0])
        } else {
            (&m.vertices, &m.indices)
        };
        let (vb, ib) = (bytes(v), bytes(i));
        let count = if m.indices.is_empty() {
            0
        } else {
            i.len() as u32
        };
        match held {
            Some(h)
                if h.vertices.size() >= vb.len() as u64 && h.indices.size() >= ib.len() as u64 =>
            {
                queue.write_buffer(&h.vertices, 0, vb);
                queue.write_buffer(&h.indices, 0, ib);
                h.data = Arc::clone(m);
                h.count = count;
            }
            _ => {
                let buffer = |len: usize, usage: wgpu::BufferUsages| {
                    // Room to grow; sizes stay multiples of 4 as wgpu wants.
                    let size = ((len + len / 2).div_ceil(4) * 4) as u64;
                    device.create_buffer(&wgpu::BufferDescriptor {
                        label: Some("downhill 3-D mesh"),
                        size,
                        usage: usage | wgpu::BufferUsages::COPY_DST,
                        mapped_at_creation: false,
                    })
                };
                let vertices = buffer(vb.len(), wgpu::BufferUsages::VERTEX);
                let indices = buffer(ib.len(), wgpu::BufferUsages::INDEX);
                queue.write_buffer(&vertices, 0, vb);
                queue.write_buffer(&indices, 0, ib);
                *held = Some(Self {
                    data: Arc::clone(m),
                    vertices,
                    indices,
                    count,
                });
            }
        }
    }
}

fn bytes<T: bytemuck::Pod>(v: &[T]) -> &[u8] {
    bytemuck::cast_slice(v)
}

impl Gpu3d {
    /// Builds the pipelines for the window's colour format and puts them where the callback
    /// finds them.
    pub fn install(rs: &egui_wgpu::RenderState) {
        let me = Self::new(&rs.device, rs.target_format, u32::from(MSAA));
        rs.renderer.write().callback_resources.insert(me);
    }

    fn new(device: &wgpu::Device, format: wgpu::TextureFormat, msaa: u32) -> Self {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("downhill 3-D"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let uniform = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("downhill 3-D uniform"),
            size: 80,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("downhill 3-D uniform layout"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX | wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("downhill 3-D uniform group"),
            layout: &layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: uniform.as_entire_binding(),
            }],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("downhill 3-D pipeline layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |topology: wgpu::PrimitiveTopology| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("downhill 3-D pipeline"),
                layout: Some(&pipeline_layout),
                vertex: wgpu::VertexState {
                    module: &module,
                    entry_point: Some("vs_main"),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: (STRIDE * 4) as u64,
                        step_mode: wgpu::VertexStepMode::Vertex,
                        attributes: &wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x4],
                    })],
                },
                primitive: wgpu::PrimitiveState {
                    topology,
                    ..Default::default()
                },
                depth_stencil: Some(wgpu::DepthStencilState {
                    format: DEPTH_FORMAT,
                    depth_write_enabled: Some(true),
                    depth_compare: Some(wgpu::CompareFunction::LessEqual),
                    stencil: wgpu::StencilState::default(),
                    bias: wgpu::DepthBiasState::default(),
                }),
                multisample: wgpu::MultisampleState {
                    count: msaa.max(1),
                    mask: !0,
                    alpha_to_coverage_enabled: false,
                },
                fragment: Some(wgpu::FragmentState {
                    module: &module,
                    entry_point: Some("fs_main"),
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        // egui's colours are premultiplied.
                        blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        Self {
            triangles: pipeline(wgpu::PrimitiveTopology::TriangleList),
            line_list: pipeline(wgpu::PrimitiveTopology::LineList),
            uniform,
            bind_group,
            surface: None,
            lines: None,
            paths: None,
            balls: None,
        }
    }

    fn vertex_buffer(device: &wgpu::Device, v: &[f32]) -> wgpu::Buffer {
        device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("downhill 3-D vertices"),
            contents: bytes(v),
            usage: wgpu::BufferUsages::VERTEX,
        })
    }

    /// Uploads what changed.
    fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, scene: &Scene) {
        let mut uniform = [0f32; 20];
        uniform[..16].copy_from_slice(&scene.view_proj);
        uniform[16..19].copy_from_slice(&[-0.4, 1.0, 0.6]);
        queue.write_buffer(&self.uniform, 0, bytes(&uniform));
        HeldMesh::update(&mut self.surface, device, queue, &scene.surface);
        HeldMesh::update(&mut self.balls, device, queue, &scene.balls);
        HeldMesh::update(&mut self.paths, device, queue, &scene.paths);
        if !self
            .lines
            .as_ref()
            .is_some_and(|h| Arc::ptr_eq(&h.0, &scene.lines))
        {
            let n = (scene.lines.len() / STRIDE) as u32;
            let data: &[f32] = if n == 0 { &[0.0; STRIDE] } else { &scene.lines };
            self.lines = Some((
                Arc::clone(&scene.lines),
                Self::vertex_buffer(device, data),
                n,
            ));
        }
    }

    fn paint(&self, pass: &mut wgpu::RenderPass<'static>) {
        pass.set_bind_group(0, &self.bind_group, &[]);
        for m in [&self.surface, &self.paths, &self.balls]
            .into_iter()
            .flatten()
        {
            if m.count > 0 {
                pass.set_pipeline(&self.triangles);
                pass.set_vertex_buffer(0, m.vertices.slice(..));
                pass.set_index_buffer(m.indices.slice(..), wgpu::IndexFormat::Uint32);
                pass.draw_indexed(0..m.count, 0, 0..1);
            }
        }
        if let Some((_, v, n)) = &self.lines
            && *n > 0
        {
            pass.set_pipeline(&self.line_list);
            pass.set_vertex_buffer(0, v.slice(..));
            pass.draw(0..*n, 0..1);
        }
    }
}

/// The paint callback of one frame.
pub struct Callback(pub Scene);

impl egui_wgpu::CallbackTrait for Callback {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        _screen: &egui_wgpu::ScreenDescriptor,
        _encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        if let Some(gpu) = resources.get_mut::<Gpu3d>() {
            gpu.prepare(device, queue, &self.0);
        }
        Vec::new()
    }

    fn paint(
        &self,
        _info: eframe::egui::PaintCallbackInfo,
        pass: &mut wgpu::RenderPass<'static>,
        resources: &egui_wgpu::CallbackResources,
    ) {
        if let Some(gpu) = resources.get::<Gpu3d>() {
            gpu.paint(pass);
        }
    }
}
