"""Writes closed-loop rollouts as one animated GIF: each frame upscaled, with the instruction, the
step and the applied action (xyz, gripper) in a band underneath, and the outcome on the last frame."""
from PIL import Image, ImageDraw, ImageFont

SCALE = 2
BAND = 34
FRAME_MS = 50  # every other 12.5 ms step at 40 ms is close to real time; 50 ms keeps GIF timing exact


def annotated(frame, instruction, step, action, outcome=None):
    """One GIF frame: the camera frame scaled by SCALE above a text band."""
    height, width, _ = frame.shape
    canvas = Image.new('RGB', (width * SCALE, height * SCALE + BAND), (20, 20, 20))
    canvas.paste(Image.fromarray(frame).resize((width * SCALE, height * SCALE), Image.NEAREST), (0, 0))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default()
    draw.text((4, height * SCALE + 2), instruction, fill=(255, 255, 255), font=font)
    gripper = 'open' if action[6] >= 0.5 else 'closed'
    text = f'step {step:3d}  xyz {action[0]:+.2f} {action[1]:+.2f} {action[2]:+.2f}  {gripper}'
    draw.text((4, height * SCALE + 17), text, fill=(180, 220, 255), font=font)
    if outcome is not None:
        colour = (60, 220, 60) if outcome else (230, 60, 60)
        draw.text((6, 4), 'success' if outcome else 'failure', fill=colour, font=font)
    return canvas


def write_video(path, rollouts, every=2):
    """`rollouts`: [(instruction, frames, actions, success)], shown one after another, every
    `every`-th step; the last frame of each rollout is held for a second with its outcome."""
    images = []
    for instruction, frames, actions, success in rollouts:
        steps = list(range(0, len(frames), every))
        for step in steps:
            images.append(annotated(frames[step], instruction, step, actions[step]))
        last = len(frames) - 1
        images.extend([annotated(frames[last], instruction, last, actions[last], success)] * (1000 // FRAME_MS))
    if not images:
        raise ValueError('no rollout frames to write')
    images[0].save(path, save_all=True, append_images=images[1:], duration=FRAME_MS, loop=0, optimize=True)
